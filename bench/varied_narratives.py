"""Fictional complaint narratives for the near-duplicate benchmark: most tell their own story, a few are batches.

The demo data tells five stories, so every LSH band of it is shared by a fifth of all complaints.
A real register is the opposite: people describe the same collectors' calls and threats in their
own words, sharing a phrase or a stock sentence now and then. `story` imitates that: a formulaic
opening (when, which platform, how much), a stock sentence or two with random slot values, and
several personal sentences made of words drawn from a large vocabulary (real words and invented
two- or three-character ones), so two unrelated narratives rarely share a band. Measured on 300
narratives: Jaccard similarity of their shingle sets median 0.0, p95 0.036 (the hand-written genuine
complaints of tests/data/campaign_corpus.py: 0.0 and 0.015).

`Campaign` is an agent's template and `Campaign.copy` one filing of the batch: the sentences
shuffled, the platform and amounts changed, sometimes a personal sentence added or a word changed,
as the corpus's agents do. Everything is invented; the platforms are the demo's fictional names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _pool(text: str) -> list[str]:
    """The space-separated pieces of a vocabulary."""
    return text.split()


WHEN = _pool(
    "去年年底 今年春节后 上个月 这个月初 前两周 三个月前 从五一开始 国庆假期里 "
    "半年前 上周末 前天晚上 最近一个月 开学前 今年夏天 元旦那天"
)
BORROW = _pool(
    "我在{p}借了{n}元 我通过{p}分期买了一部手机 "
    "我在{p}上申请过一笔{n}元的贷款 为了交房租我在{p}借款{n}元 "
    "我朋友介绍我用{p}借了点钱 孩子住院时我在{p}借了{n}块 "
    "我在{p}办了信用购，分{n}期还 创业失败后我在{p}和另外几个平台都借了钱 "
    "我用{p}租了一台电脑 我在{p}的额度是{n}元，用了一大半"
)
PREFIX = _pool("虚构 示例 演示 假想 样本 模拟 测试 想象 拟造 编造")
STEM = _pool(
    "速贷 分期 花朵宝 借条通 易借 快钱 优品商城 租机宝 信用购 金融 小白卡 "
    "闪电贷 星光借 便民钱包 好分期 安心借 米粒花 橙子贷 云朵钱包 蜜蜂借"
)
LATE = _pool(
    "因为失业没能按时还款 后来工资被拖欠，逾期了{n}天 逾期了大概两个月 "
    "只晚还了三天 生病住院耽误了还款 收入减少，逾期至今 "
    "我一直在按时还，只有一期晚了 公司倒闭后就还不上了 我申请过延期，但没有回复 "
    "其实我已经还清了，他们还说我欠钱"
)
WHO = _pool(
    "父母 妻子 老公 哥哥 姐姐 领导 同事 室友 大学同学 邻居 房东 客户 "
    "孩子的班主任 前女友 表弟 老家的亲戚 公司人事 朋友 微信好友 通讯录里所有人"
)
HOW = _pool("打电话 发短信 发微信 打视频电话 在群里发消息 寄信 上门 发邮件 在朋友圈发帖 用陌生号码轰炸")
ACTS = _pool(
    "催收员{t}{h}给我{w}，说我是老赖 他们{t}给我的{w}{h}，说我诈骗 "
    "对方自称是{r}，说要起诉我 有人冒充{r}，发来所谓的{d} "
    "催收人员骂我{i}，还说要让我{c} 一天之内打了{n}个电话，我根本没法上班 "
    "他们把我的照片做成{d}发给{w} 催收员威胁说要到{pl}找我 "
    "他们说如果不还钱就{c} 有个男的{t}在电话里用方言骂我 "
    "他们P了我的{d}，发到{w}的手机上 对方要求我再借一笔去还这笔 "
    "催收的人说知道我家住在{pl} 我被拉进一个群，群里都是我的{w} "
    "他们给我的{w}打电话，说我{x} 一个自称{r}的人说已经立案了 "
    "还款日前一天就开始{h}催我 他们收了{n}元的所谓服务费 "
    "利息和罚息加起来比本金还多 他们说我不还钱就上征信，以后坐不了高铁"
)
TIMES = _pool("凌晨 半夜 上班时间 午休的时候 周末一大早 每天早上七点 晚上十一点后 过年期间 开会的时候 每隔半小时")
ROLES = _pool("律师 法院工作人员 公安民警 调解中心的人 仲裁委员 银行法务 街道办的人 网警 公证处")
DOCS = _pool("律师函 传票 逮捕令 催收函 通缉令 起诉书 黑名单海报 欠款公告 拘留通知")
INSULTS = ["骗子", "废物", "不要脸", "老赖", "人渣", "垃圾", "小偷"]
CONSEQUENCES = _pool("丢掉工作 家破人亡 社会性死亡 在老家出名 孩子上不了学 坐牢 一辈子抬不起头")
PLACES = _pool("我公司 我老家 我父母家 我租的房子 我孩子的学校 我上班的工地 我住的小区 我老婆单位")
SAYS = _pool("欠钱不还 涉嫌诈骗 被警察抓了 卷款跑路 出事了 是担保人 借了高利贷")
IMPACT = _pool(
    "我现在每天都睡不着觉 我因为这件事被公司辞退了 我父母气得住进了医院 "
    "我已经换了三次号码 我不敢接任何陌生电话 我和家人的关系闹得很僵 "
    "同事们都用异样的眼光看我 我妈每天都在哭 我得了焦虑症，在吃药 我老婆要和我离婚 "
    "我的店开不下去了 孩子在学校被同学嘲笑"
)
ASK = _pool(
    "希望有关部门管一管 请求平台停止暴力催收 我愿意还本金，但不接受这种方式 "
    "请帮我核实这笔欠款 要求他们删除发出去的照片 希望能协商分期还款 "
    "请依法处理这家催收公司 我只想过正常的生活 请求退还多收的费用 "
    "希望追究冒充律师的人的责任"
)
EXTRA = _pool(
    "我已经报过警了 我有通话录音和截图 我打过平台客服，没有人管 "
    "我向银行保险监管部门投诉过 他们的号码每次都不一样 我问他们是哪家公司，他们不说 "
    "他们知道我身份证号码 我还给他们转过{n}元 平台说催收外包了，和他们无关 "
    "我手机里有几十条短信记录"
)
#: Words of the personal sentences, with invented ones (below) so that people rarely repeat each other.
WORDS = _pool(
    "工资 房租 学费 手机 电动车 店面 货款 押金 医药费 彩礼 装修款 保险 "
    "车贷 信用卡 花呗 公积金 社保 奶粉钱 机票 快递 外卖 合同 发票 银行卡 "
    "身份证 驾照 营业执照 工牌 宿舍 出租屋 老房子 菜地 猪场 小卖部 理发店 "
    "网店 直播间 货车 三轮车 电脑 相机 钢琴 手术 化疗 透析 月子 婚礼 考研 "
    "驾校 补习班 幼儿园 养老院 工地 工厂 仓库 餐馆 超市 药店 诊所 交了 "
    "凑齐 垫付 退回 扣掉 拖欠 转走 借走 赔了 花光 卖掉 抵押 挪用 补交 "
    "算错 漏掉 冻结 没收 催缴 报销 我爸 我妈 爷爷 奶奶 外婆 岳父 婆婆 "
    "小舅子 表哥 堂妹 老板 工头 师傅 徒弟 合伙人 会计 房东阿姨 物业 保安 "
    "司机 医生 护士 老乡 网友 中介 郑州 长沙 南宁 昆明 贵阳 成都 重庆 "
    "西安 兰州 太原 石家庄 合肥 南昌 福州 厦门 温州 义乌 东莞 佛山 惠州 "
    "中山 珠海 汕头 湛江 柳州 桂林 遵义 绵阳 宜昌 襄阳 洛阳 开封 商丘 "
    "阜阳 赣州 九江 株洲 衡阳 邵阳 好不容易 偷偷 一口气 慢慢 咬牙 临时 "
    "提前 分两次 当场 硬着头皮 急急忙忙 悄悄 连夜 心里很难受 气得发抖 "
    "又怕又急 整夜失眠 不知道怎么办 觉得很丢人 差点崩溃 只能忍着 快要撑不下去 "
    "想不通"
)
_POOLS = (WHEN, BORROW, STEM, LATE, WHO, HOW, ACTS, IMPACT, ASK, EXTRA, WORDS)
_CHARACTERS = sorted({c for pool in _POOLS for text in pool for c in text if "\u4e00" <= c <= "\u9fff"})
_INVENTING = random.Random(7)
INVENTED = ["".join(_INVENTING.choices(_CHARACTERS, k=_INVENTING.choice((2, 2, 3)))) for _ in range(20_000)]


def platform_name(rng: random.Random) -> str:
    """A fictional platform name like the demo's."""
    return rng.choice(PREFIX) + rng.choice(STEM)


def fill(rng: random.Random, template: str) -> str:
    """A stock sentence with random slot values."""
    return template.format(
        p=platform_name(rng),
        n=rng.randrange(2, 50_000),
        w=rng.choice(WHO),
        h=rng.choice(HOW),
        t=rng.choice(TIMES),
        r=rng.choice(ROLES),
        d=rng.choice(DOCS),
        i=rng.choice(INSULTS),
        c=rng.choice(CONSEQUENCES),
        pl=rng.choice(PLACES),
        x=rng.choice(SAYS),
    )


def personal(rng: random.Random) -> str:
    """A sentence of the filer's own: five to nine words, mostly from the invented vocabulary."""
    return "".join(rng.choice(WORDS) if rng.random() < 0.3 else rng.choice(INVENTED) for _ in range(rng.randint(5, 9)))


def story(rng: random.Random) -> str:
    """One consumer's own narrative (about 150 characters)."""
    parts = [rng.choice(WHEN) + "，" + fill(rng, rng.choice(BORROW))]
    if rng.random() < 0.3:
        parts.append(fill(rng, rng.choice(LATE)))
    parts += [personal(rng) for _ in range(rng.randint(4, 8))]
    if rng.random() < 0.6:
        parts.append(fill(rng, rng.choice(ACTS)))
    for pool, share in ((IMPACT, 0.15), (EXTRA, 0.15), (ASK, 0.2)):
        if rng.random() < share:
            parts.append(fill(rng, rng.choice(pool)))
    rng.shuffle(parts)
    return "。".join(parts) + "。"


@dataclass(frozen=True)
class Campaign:
    """An agent's template: its sentences and the number the agent gives as every client's contact."""

    sentences: tuple[str, ...]
    agent_phone: str
    collector_phone: str
    screenshot_sha256: str

    @classmethod
    def invent(cls, rng: random.Random, number: int) -> Campaign:
        """A formal template of stock sentences and two personal ones, with its agent's phone and screenshot."""
        sentences = [
            "本人于" + rng.choice(WHEN) + "在{p}借款{n}元，因近期收入减少，未能按期还款",
            *(fill(rng, act) for act in rng.sample(ACTS, 4)),
            personal(rng),
            personal(rng),
            rng.choice(IMPACT),
            rng.choice(ASK),
        ]
        return cls(
            tuple(sentences),
            agent_phone=f"+86155{number:08d}",
            collector_phone=f"+86156{number:08d}",
            screenshot_sha256=f"{number:08x}" * 8,
        )

    def copy(self, rng: random.Random) -> str:
        """One filing of the batch: new platform spelling and amounts, sentences shuffled, perhaps an addition."""
        sentences = [fill(rng, sentence) if "{" in sentence else sentence for sentence in self.sentences]
        if rng.random() < 0.5:
            rng.shuffle(sentences)
        if rng.random() < 0.3:
            sentences.insert(rng.randrange(len(sentences) + 1), personal(rng))
        if rng.random() < 0.3:
            at = rng.randrange(len(sentences))
            words = sentences[at]
            sentences[at] = words.replace(words[:2], rng.choice(INVENTED), 1)
        return "。".join(sentences) + "。"
