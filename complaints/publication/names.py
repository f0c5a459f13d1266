"""Personal names in narratives, for ``redaction.py`` alone: jieba's name tags plus surname cues."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

#: Common single-character surnames (the few hundred that cover nearly everyone).
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
    "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻"
    "苑迟邝官封谈匡鞠惠荆冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺楼闻厉伊仝郜阎"
    # Rare surnames, which seldom start an ordinary word.
    "訾亓逯禚郇郗厍晁钮嵇蔚隗缑綦阚郦阙扈蒯芮羿邴宓昝仉乜糜揭勾逄宦戈廉居庹"
)
#: Two-character surnames, checked before single ones.
COMPOUND_SURNAMES = frozenset(
    (
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "慕容",
        "令狐",
        "司徒",
        "尉迟",
        "长孙",
        "宇文",
        "夏侯",
        "端木",
        "公孙",
        "独孤",
        # Rare ones.
        "万俟",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "淳于",
        "单于",
        "太叔",
        "申屠",
        "公羊",
        "闻人",
        "呼延",
        "赫连",
        "轩辕",
        "钟离",
        "南宫",
        "西门",
        "拓跋",
        "鲜于",
        "巫马",
        "乐正",
        "漆雕",
        "仲孙",
        "左丘",
        "司空",
        "亓官",
        "第五",
    )
)
#: Characters common in given names: what a nickname is made of (小芳, 阿强, 涛哥), and what a
#: third character must be before a name cut short (李晓 | 敏) is taken whole.
GIVEN_CHARS = frozenset(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚英兰华志海燕文辉鹏宇浩婷雪琳晨欣怡凯斌鑫玲红萍波峰亮健俊倩颖"
    "东梓轩雨然鸣思远嘉佳琪立新春梅德淑珍玉永少金凤振宏家豪博旭飞慧莉美秋桂建晓光宁蕾悦琦彤昊阳瑶璐丹毅洁"
    "一瑞庆娇琴兵翠宝秀芝菊荣莲芬岚婉璇茜蓉薇晶妍媛娅姗婕嫣琼瑾露霖涵菲雯馨蕊瑜晴岩森林松柏坤鹤翔龙虎彪骏驰"
    "腾跃威雄贤达聪睿哲智耀星辰朗清洪浪江河湖泉溪泽润源航帆楠桐枫柳杨竹荷芙茂盛昌隆兴旺福寿禄喜祥吉康仁"
    "义礼信忠孝廉勤俭诚厚雅学敬修曦晖昕昱曙霞云霄珠琅璋珊珏珑钰铭锋锐钧锦绣纯素青紫笑奕逸彦熙鸿军凯"
)
#: Words that start like a nickname (小时, 老师, 阿姨, 大哥) but name nobody.
NOT_NICKNAMES = frozenset(
    (
        "小区",
        "小时",
        "小姐",
        "小伙",
        "小子",
        "小孩",
        "小学",
        "小组",
        "小额",
        "小贷",
        "小弟",
        "小妹",
        "小哥",
        "小心",
        "小康",
        "小城",
        "小镇",
        "小路",
        "小店",
        "小于",
        "小孔",
        "小雨",
        "小河",
        "小车",
        "小楼",
        "小溪",
        "小农",
        "小包",
        "小费",
        "小曲",
        "小钱",
        "小兵",
        "小童",
        "小房",
        "小商",
        "小湖",
        "小家",
        "小班",
        "小项",
        "老农",
        "老成",
        "老路",
        "伟哥",
        "老师",
        "老板",
        "老公",
        "老婆",
        "老家",
        "老人",
        "老赖",
        "老乡",
        "老大",
        "老总",
        "老实",
        "老年",
        "老子",
        "老头",
        "老爸",
        "老妈",
        "老弟",
        "老妹",
        "老哥",
        "老姐",
        "老外",
        "老天",
        "老板娘",
        "阿姨",
        "阿婆",
        "阿伯",
        "阿叔",
        "阿公",
        "阿哥",
        "阿妹",
        "阿姐",
        "阿弟",
        "阿爸",
        "阿妈",
        "阿嫂",
        "阿婶",
        "大哥",
        "大姐",
        "帅哥",
        "表哥",
        "表姐",
        "堂哥",
        "堂姐",
        "二哥",
        "二姐",
        "空姐",
    )
)
#: Titles and forms of address that follow a surname (王经理, 张先生): the surname is the name.
TITLES = (
    "先生",
    "女士",
    "小姐",
    "经理",
    "老师",
    "律师",
    "主管",
    "总监",
    "组长",
    "专员",
    "警官",
    "师傅",
    "阿姨",
    "大哥",
    "大姐",
    "老板",
    "主任",
    "科长",
    "处长",
    "局长",
    "部长",
    "队长",
    "所长",
    "院长",
    "书记",
    "法官",
    "医生",
    "会计",
    "总",
    "哥",
    "姐",
    "某某",
    "某",
)
#: Cues that jieba glues to the name after them (我爸 | 安宇航 becomes 爸安 | 宇航).
GLUED_CUES = ("我爸", "我妈", "我哥", "我姐", "我弟", "我妹")
_KIN_CUES = ("我爸爸", "我妈妈", "我哥哥", "我姐姐", "我弟弟", "我妹妹")  # so that 我妹 does not hide 妹妹
#: Words after which a name usually follows (催收员张伟, 名叫王芳, 姓刘).
CUES = (
    "名叫",
    "叫做",
    "名字叫",
    "名字是",
    "姓名是",
    "姓名",
    "自称是",
    "自称",
    "我叫",
    "叫",
    "姓",
    "催收员",
    "催收人员",
    "催收专员",
    "业务员",
    "客服",
    "专员",
    "联系人",
    "同事",
    "朋友",
    "经理",
    "主管",
    "组长",
    "母亲",
    "父亲",
    "妈妈",
    "爸爸",
    "丈夫",
    "妻子",
    "老公",
    "老婆",
    "哥哥",
    "姐姐",
    "弟弟",
    "妹妹",
    "儿子",
    "女儿",
    "同学",
    "领导",
    "老板",
    "法务",
    "律师",
    "落款是",
    "落款",
    "署名",
    "签名",
    "调解员",
    "婆婆",
    "公公",
    "岳父",
    "岳母",
    "爷爷",
    "奶奶",
    "外公",
    "外婆",
    "舅舅",
    "姑姑",
    "叔叔",
    "阿姨",
    "表姐",
    "表哥",
    "表妹",
    "表弟",
    "堂哥",
    "堂姐",
    "女友",
    "男友",
    "女朋友",
    "男朋友",
    "室友",
    "邻居",
    "房东",
    "客户经理",
    "工作人员",
    "负责人",
    "经办人",
    "收款人",
    "户名",
    "转到",
    "打到",
    "本人",
    "我是",
    *GLUED_CUES,
    *_KIN_CUES,
)
#: Ordinary words of debt-collection narratives that jieba may take for names; never redacted.
#: Platform and collector names are not listed here: callers pass their directory's as ``keep``.
NOT_NAMES = (
    "借条",
    "高利贷",
    "网贷",
    "催收",
    "暴力催收",
    "通讯录",
    "紧急联系人",
    "公安局",
    "派出所",
    "银保监会",
    "金融监管",
    "人民银行",
    "互联网",
    "逾期",
    "征信",
    "催收员",
    "催收人员",
    "催收专员",
)
#: Characters that end a given name when they follow one: particles, pronouns and the verbs of calls.
_NOT_GIVEN = frozenset(
    "的了是说在和跟与及又也就都还把被让向对称来去要每多次等们打给我你他她它这那不没很会能再才将从到用拿催某"
    "骂发找接叫问拉告威逼着过先女经老"
)
#: From this dictionary frequency on, a word jieba tags as a name is an ordinary word (文明 6584,
#: 陈述 763, 雷同 99) unless a cue says otherwise; real names in the dictionary are rarer (王建国 12).
COMMON_WORD_FREQUENCY = 90
_AND = frozenset("和与跟及、")
#: Last characters of nouns that jieba's dictionary tags as names (石家庄, 钟点工, 宋体字).
_NOUN_ENDINGS = frozenset("庄工字人员者师长主厂站店村镇县市省路街区场馆院所局部队会司行业体机车器品物费款卡单证号色")
#: What follows the subject of a call or threat (高海峰说, 顾桂兰又打来了, 江天宇已经离职).
_REPORTING_AFTER = re.compile(
    r"(?:又|也|还|就|再|已经|一直|每天|每次|经常|总是|亲自|竟然|居然|直接|再次)"
    r"|(?:说|讲|称|打|骂|威胁|恐吓|承认|表示|发|让|叫|要求|告诉|答应|挂|冒充|离职|名下|\d+岁|[一二三四五六七八九]十多岁)"
    r"|(?:主任|科长|处长|局长|部长|队长|所长|院长|书记|经理|主管|律师|老师|警官|法官|先生|女士|小姐)"
)
#: A two-character given name is rarely a word this frequent in jieba's dictionary (天宇 286, 建平 528).
GIVEN_WORD_FREQUENCY = 1000
#: Characters after which a surname starts a word even when jieba glued them together (跟于先生).
_BEFORE_SURNAME = frozenset("位个跟和与给找问是")
#: Tags jieba gives to a lone character of a given name it has cut off.
_GIVEN_TAGS = frozenset(("nr", "nrt", "nrfg", "ng", "g", "j", "ag"))
#: Text after a would-be name that shows it is a platform or company (石蕊贷的法务, 安禾借).
_ORGANISATION_AFTER = re.compile(
    r"[呗贷借]|分期|金融|钱包|银行|科技|小贷|消费|的?(?:法务|委托|暴力催收|客服|平台|贷款|借款|官方|公司|合作|APP|app)"
)
#: How the name of a platform ends (石蕊贷, 安禾借, 柚子呗, 云杉借条): a would-be name ending so is none.
_ORGANISATION_ENDINGS = ("贷", "借", "呗", "借条")
#: Compound surnames that are also ordinary words, so they need jieba's name tag as well.
_AMBIGUOUS_COMPOUNDS = frozenset(("东方", "长孙", "公孙"))
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_CUE = re.compile("|".join(sorted(CUES, key=len, reverse=True)))
_TITLE = re.compile("|".join(sorted(TITLES, key=len, reverse=True)))
_AFTER_CUE = re.compile(r"[\s:：]*(?:是|为)?[\s:：]*")
_EN_WORD = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)?")
_EN_CUE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mister|Madam)\.?\s+|\b(?:named|called|name is|I am|I'm)\s+")
#: After an honorific any capitalised name counts, romanised Chinese or not (Mr Smith, Ms Nguyen).
_EN_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mister|Madam)\.?\s+(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)")
#: Place names that read like a romanised surname and given name.
_EN_NOT_NAMES = frozenset(("hong kong",))


@dataclass(frozen=True)
class _Token:
    """One jieba token with its part-of-speech tag and place in the text."""

    word: str
    tag: str
    start: int
    #: How often jieba's dictionary has seen the word: ordinary words (文明, 陈述) are frequent.
    frequency: int

    @property
    def end(self) -> int:
        """Where the token ends in the text."""
        return self.start + len(self.word)


def _tokens(text: str, tagger: Any) -> list[_Token]:
    """jieba's tokens with their offsets (jieba's pieces cover the text in order)."""
    tokens: list[_Token] = []
    position = 0
    for pair in tagger.cut(text, HMM=True):
        start = text.find(pair.word, position)
        if start < 0:
            continue
        tokens.append(_Token(pair.word, pair.flag, start, tagger.tokenizer.FREQ.get(pair.word) or 0))
        position = start + len(pair.word)
    return tokens


def _surname_length(text: str) -> int:
    """How many characters of a surname start this text (2, 1, or 0 for none)."""
    if text[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if text[:1] in SINGLE_SURNAMES else 0


def _strip_title(word: str) -> str:
    """A name without the title jieba sometimes glues to it (王经理 → 王)."""
    for title in TITLES:
        if word.endswith(title) and len(word) > len(title):
            return word[: -len(title)]
    return word


def _looks_like_name(word: str) -> bool:
    """A surname followed by one or two given-name characters, and not a known non-name."""
    surname = _surname_length(word)
    return (
        surname > 0
        and _HAN.fullmatch(word) is not None
        and surname + 1 <= len(word) <= surname + 2
        and word not in NOT_NAMES
        and not any(char in _NOT_GIVEN for char in word[surname:])
        and word[surname] != word[surname - 1]  # 林林总总, 毛毛雨: reduplication, not a name
    )


def _given_length(text: str, position: int) -> int:
    """How many of the next two characters can be a given name (stopping at particles and verbs)."""
    length = 0
    while length < 2 and position + length < len(text):
        char = text[position + length]
        if _HAN.fullmatch(char) is None or char in _NOT_GIVEN:
            break
        length += 1
    return length


def _tagged_names(tokens: list[_Token], text: str) -> list[tuple[int, int]]:
    """Tokens jieba tags as personal names (nr, nrt, nrfg), joined to a surname it split off."""
    spans: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        # A dictionary word keeps its last character (林林总总 is not 林林 + 总).
        word = token.word if token.frequency else _strip_title(token.word)
        surname = _surname_length(word)
        if (
            surname
            and surname == len(word)
            and (token.tag == "nr" or (surname == 2 and word not in _AMBIGUOUS_COMPOUNDS))
        ):
            # jieba often splits a name after its surname (潘 | 淑珍, 唐 | 平和): take the given name by hand.
            given = _given_length(text, token.end) if word == token.word else 0
            if given or word != token.word:
                spans.append((token.start, token.start + surname + given))
        elif token.tag.startswith("nr") and token.frequency < COMMON_WORD_FREQUENCY and not _ordinary_word(token, 1):
            span = _trimmed_name(word, token.start, tokens[index + 1] if index + 1 < len(tokens) else None)
            if span:
                spans.append(span)
        elif surname and index + 1 < len(tokens):
            # A surname jieba read as another word, then a given name it tags as a name (石 | 红霞, 徐海 | 涛).
            rest = tokens[index + 1]
            joined = token.word + rest.word
            if rest.start == token.end and rest.tag.startswith("nr") and _looks_like_name(joined):
                spans.append((token.start, rest.end))
    return spans


def _subject_names(tokens: list[_Token], text: str) -> list[tuple[int, int]]:
    """A surname and given name that jieba read as ordinary words, as the subject of a call or threat."""
    ends = {token.end for token in tokens}
    spans: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        surname = _surname_length(token.word)
        famous = len(token.word) > surname and token.frequency >= COMMON_WORD_FREQUENCY
        if not surname or famous or _ordinary_word(token, surname):
            continue  # 马路, 车主, 孟子: a word or a famous name that merely starts with a surname
        for length in (surname + 2, surname + 1):
            end = token.start + length
            inside = [t for t in tokens[index + 1 : index + 4] if t.end <= end]  # a name spans 3 tokens at most
            if (
                end in ends
                and _looks_like_name(text[token.start : end])
                and all(len(t.word) < 2 or t.frequency < GIVEN_WORD_FREQUENCY for t in inside)
                and _REPORTING_AFTER.match(text, end)
            ):
                spans.append((token.start, end))
                break
    return spans


def _coordinated_names(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """The other name in "A和B" / "A、B" when one of the two is already known to be a name."""
    found: list[tuple[int, int]] = []
    for start, end in spans:
        if text[end : end + 1] in _AND:
            begin = end + 1
            surname = _surname_length(text[begin:])
            given = _given_length(text, begin + surname) if surname else 0
            if given:
                found.append((begin, begin + surname + given))
        if start >= 2 and text[start - 1] in _AND:
            for length in (3, 2, 4):
                begin = start - 1 - length
                if begin >= 0 and _looks_like_name(text[begin : start - 1]):
                    found.append((begin, start - 1))
                    break
    return found


def _trimmed_name(word: str, start: int, following: _Token | None) -> tuple[int, int] | None:
    """The name inside a name-tagged token, mended where jieba glued or cut a character wrongly."""
    if word[:1] in "和与跟及" and _looks_like_name(word[1:]):  # 和江亮
        word, start = word[1:], start + 1
    while len(word) > 2 and word[-1] in _NOT_GIVEN and not _looks_like_name(word):  # 宋健拉
        word = word[:-1]
    if not _looks_like_name(word):
        return None
    end = start + len(word)
    if following is not None and following.start == end and len(word) == _surname_length(word) + 1:
        # A three-character name cut short: 陆梓 | 轩, 邱晓 | 明说.
        single = len(following.word) == 1 and following.tag in _GIVEN_TAGS
        glued = len(following.word) == 2 and _given_length(following.word, 0) == 1
        if single or glued:
            end += 1
    return start, end


def _cued_names(tokens: list[_Token], text: str) -> list[tuple[int, int]]:
    """Names right after a cue (叫, 名叫, 催收员, 母亲 …) at word boundaries, and surnames after 姓."""
    starts = {token.start: token for token in tokens}
    ends = {token.end for token in tokens}
    spans: list[tuple[int, int]] = []
    for cue in _CUE.finditer(text):
        position = _AFTER_CUE.match(text, cue.end())
        begin = position.end() if position else cue.end()
        surname = _surname_length(text[begin:])
        if not surname:
            continue
        if cue.group() == "姓":
            # 姓刘的, 姓王，: a lone surname; 老百姓 and 姓名 are not cues.
            after = text[begin + surname : begin + surname + 1]
            if text[cue.start() - 1 : cue.start()] != "百" and (after == "" or after in "的，。,. 先女经"):
                spans.append((begin, begin + surname))
            continue
        if cue.start() not in starts or (cue.end() not in ends and cue.group() not in GLUED_CUES):
            continue
        word = starts.get(begin)
        if word and len(word.word) > surname and _ordinary_word(word, surname):
            continue  # 同事高兴地说, 我是石家庄人: an ordinary word, not a name
        given = _given_length(text, begin + surname)
        if given:
            spans.append((begin, begin + surname + given))
    return spans


def _ordinary_word(token: _Token, surname: int) -> bool:
    """Whether a dictionary word that starts with a surname is just a word (高兴, 车主, 石家庄, 钟点工)."""
    if token.frequency <= 0 or len(token.word) <= surname:
        return False  # not in jieba's dictionary: unknown words are where names hide
    if token.word[surname:] == "家":
        return False  # 杜家 | 乐: "the Du family" in the dictionary, 家乐 and 家豪 in real life
    if token.tag.startswith("nr"):
        # jieba's dictionary tags some words as names; a real name rarely ends like a noun.
        return token.word[-1] in _NOUN_ENDINGS or (
            token.frequency >= COMMON_WORD_FREQUENCY and not _looks_like_name(token.word)
        )
    if token.tag.startswith("ns"):
        return len(token.word) > surname + 1 or token.word[-1] in _NOUN_ENDINGS
    return True


def _titled_names(tokens: list[_Token], text: str) -> list[tuple[int, int]]:
    """Surnames in front of a title (张先生, 王经理) where the surname starts a word."""
    starts = {token.start for token in tokens}
    spans: list[tuple[int, int]] = []
    for title in _TITLE.finditer(text):
        for length in (2, 1):
            begin = title.start() - length
            word_start = begin in starts or (begin > 0 and text[begin - 1] in _BEFORE_SURNAME)
            if begin >= 0 and _surname_length(text[begin:]) == length and word_start:
                spans.append((begin, title.start()))
                break
    return spans


@cache
def _pinyin_sets() -> tuple[frozenset[str], frozenset[str]]:
    """Pinyin syllables, and the pinyin readings of the surnames, from pypinyin's dictionary."""
    from pypinyin import Style, pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    syllables: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
            syllables.add(plain.lower())
            syllables.add(plain.lower().replace("u", "v"))
    surnames = {
        reading
        for name in (*SINGLE_SURNAMES, *COMPOUND_SURNAMES)
        for reading in ("".join(r[0] for r in pinyin(name, style=Style.NORMAL)),)
    }
    return frozenset(syllables), frozenset(surnames)


def _is_pinyin(word: str, syllables: frozenset[str], most: int = 3) -> bool:
    """Whether a romanised word splits into at most ``most`` pinyin syllables."""
    word = word.lower().replace("-", "")
    if not word:
        return True
    if most == 0:
        return False
    return any(word[:cut] in syllables and _is_pinyin(word[cut:], syllables, most - 1) for cut in range(6, 0, -1))


def _english_names(text: str) -> list[tuple[int, int]]:
    """Romanised Chinese names in English text: "Mr Zhang", "named Wang Fang", "Li Wei called"."""
    syllables, surnames = _pinyin_sets()
    spans: list[tuple[int, int]] = []
    words = list(_EN_WORD.finditer(text))
    cue_ends = {cue.end() for cue in _EN_CUE.finditer(text)}
    for index, word in enumerate(words):
        if word.group().lower() not in surnames:
            continue
        following = words[index + 1] if index + 1 < len(words) else None
        has_given = (
            following is not None
            and text[word.end() : following.start()] == " "
            and _is_pinyin(following.group(), syllables, 2)
            and f"{word.group()} {following.group()}".lower() not in _EN_NOT_NAMES
        )
        if has_given and following is not None:
            spans.append((word.start(), following.end()))
        elif word.start() in cue_ends:
            spans.append((word.start(), word.end()))
    spans += [match.span("name") for match in _EN_HONORIFIC.finditer(text)]
    return spans


#: Nicknames: 小 or 阿 before a surname or a given-name character (小王, 小芳, 阿强), 老 before a
#: surname (老周), a given-name character before 哥 or 姐 (涛哥, 芳姐).
_NICKNAME = re.compile(r"[小阿老][\u4e00-\u9fff]|[\u4e00-\u9fff][哥姐]")
#: From this dictionary frequency on, a would-be nickname is an ordinary word (小心 2441, 小孩 1589).
NICKNAME_WORD_FREQUENCY = 1000
#: A name typed with spaces between its characters (张 丽 华): single characters, one space apart.
_SPACED = re.compile(r"(?<![\u4e00-\u9fff] )(?:[\u4e00-\u9fff] ){1,3}[\u4e00-\u9fff](?! [\u4e00-\u9fff])")


def _nicknames(text: str, frequency: dict[str, int]) -> list[tuple[int, int]]:
    """小芳, 老周, 阿强, 涛哥: nicknames and forms of address that are not ordinary words."""
    spans: list[tuple[int, int]] = []
    for match in _NICKNAME.finditer(text):
        word = match.group()
        head, tail = word[0], word[1]
        if head in "小阿":
            fits = tail in SINGLE_SURNAMES or tail in GIVEN_CHARS
        elif head == "老":
            fits = tail in SINGLE_SURNAMES
        else:
            fits = head in GIVEN_CHARS and text[match.start() - 1 : match.start()] not in SINGLE_SURNAMES
        end = match.end()
        if (
            not fits
            or word in NOT_NICKNAMES
            or (frequency.get(word) or 0) >= NICKNAME_WORD_FREQUENCY
            or (end < len(text) and (frequency.get(text[end - 1 : end + 1]) or 0) >= NICKNAME_WORD_FREQUENCY)  # 明天
            or (end < len(text) and text[end] in "子儿们")
        ):
            continue
        spans.append((match.start(), end))
    return spans


def _spaced_names(text: str) -> list[tuple[int, int]]:
    """A name typed with a space between its characters (张 丽 华, 欧 阳 娜 娜)."""
    spans: list[tuple[int, int]] = []
    for match in _SPACED.finditer(text):
        if _looks_like_name(match.group().replace(" ", "")):
            spans.append(match.span())
    return spans


def _whole(spans: list[tuple[int, int]], text: str, frequency: dict[str, int]) -> list[tuple[int, int]]:
    """Names cut after their second character (李晓 | 敏) taken with their third, so none loses only part."""
    whole: list[tuple[int, int]] = []
    for start, end in spans:
        surname = _surname_length(text[start:end])
        char = text[end : end + 1]
        if (
            surname
            and end - start == surname + 1
            and char in GIVEN_CHARS
            and (frequency.get(text[end : end + 2]) or 0) < COMMON_WORD_FREQUENCY  # 张伟明天: 明天
            and _TITLE.match(text, end) is None
        ):
            end += 1
        whole.append((start, end))
    return whole


def name_spans(text: str, tagger: Any) -> list[tuple[int, int]]:
    """Where personal names are in a text, best evidence first (spans may overlap)."""
    tokens = _tokens(text, tagger)
    frequency = tagger.tokenizer.FREQ
    chinese = [
        *_tagged_names(tokens, text),
        *_cued_names(tokens, text),
        *_titled_names(tokens, text),
        *_subject_names(tokens, text),
    ]
    chinese = _whole([span for span in chinese if _is_person(text, *span)], text, frequency)
    coordinated = [span for span in _coordinated_names(chinese, text) if _is_person(text, *span)]
    informal = [span for span in (*_spaced_names(text), *_nicknames(text, frequency)) if _is_person(text, *span)]
    return chinese + coordinated + informal + _english_names(text)


def _is_person(text: str, start: int, end: int) -> bool:
    """Whether a would-be Chinese name is not a known word, nor used as the name of an organisation."""
    return (
        not text.endswith(_ORGANISATION_ENDINGS, start, end)
        and _ORGANISATION_AFTER.match(text, end) is None
        and not any(text.startswith(word, start) for word in NOT_NAMES)
    )


def surname_length(text: str) -> int:
    """How many characters of a surname start a text (2 for 欧阳, 1 for 王, 0 for none)."""
    return _surname_length(text)


def looks_like_name(word: str) -> bool:
    """Whether a word is a surname and one or two given-name characters (潘志刚, 王芳)."""
    return _looks_like_name(word)


def is_titled_surname(word: str) -> bool:
    """Whether a word is a surname and a title (王经理, 欧阳先生): how people report who called."""
    surname = _surname_length(word)
    return surname > 0 and word[surname:] in TITLES
