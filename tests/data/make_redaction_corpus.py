"""Write redaction_corpus.jsonl: synthetic complaint narratives with planted, fictional personal details.

Run ``python tests/data/make_redaction_corpus.py [OUT]``; the output is the same on every run (seeded).
Every person, number and address is invented: ID numbers get a valid check digit and card numbers
pass Luhn so that the detector is tested on well-formed values, but none belongs to anyone.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("redaction_corpus.jsonl")
SEED = 20261129
CHINESE_NARRATIVES = 360
ENGLISH_NARRATIVES = 40


def _words(text: str) -> tuple[str, ...]:
    """The space-separated words of a string."""
    return tuple(text.split())


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
GIVEN_NAMES = _words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 桂英 秀英 秀兰 建华 建国 志强 海燕 文 华 辉"
    " 鹏 宇 浩 婷 雪 琳 晨 欣 怡 凯 斌 鑫 玲 红 燕 萍 波 峰 亮 健 俊 倩 颖 晓东 晓明 晓燕 子涵 梓轩 雨欣"
    " 浩然 一鸣 思远 嘉怡 佳琪 立新 国强 春梅 丽华 小明 小红 小龙 德华 淑珍 玉兰 永刚 少华 金凤 振宇"
    " 军华 红霞 丽娟 俊杰 家豪 子轩 欣怡 雨涵 宏伟 春燕 文静 伟东 金花 桂芝 凤英 建军 志刚 海涛 晓红 冬梅"
    " 玉珍 秀珍 宁 蕾 琪 悦 琦 彤 昊 阳 瑶 璐 丹 博 毅 旭 飞 慧 莉 志明 美玲 国华 丽萍 晓峰 雅琴 家乐 梦瑶"
    " 子豪 诗涵 明杰 海峰 秋菊 桂兰 建平 文杰 晓丽 英 琴 兵 刚强 翠花 宝玉 天宇 一帆 若曦 浩宇 俊熙 瑞 洁"
    " 春生 秀梅 红梅 永红 国庆 立军 爱华 淑华 海波 晓光 雪梅 丽娜 文华 志伟 俊峰 思琪 紫涵 梓萱 宇航 博文"
    " 嘉豪 静怡 淑英 德明 庆 娇 凤 倩倩 亮亮"
)
PINYIN_SURNAMES = ("Zhang", "Wang", "Li", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Hu")
PINYIN_GIVEN = (
    "Wei",
    "Fang",
    "Na",
    "Min",
    "Jing",
    "Qiang",
    "Lei",
    "Jun",
    "Yang",
    "Xiuying",
    "Jianguo",
    "Xiaoming",
    "Haiyan",
    "Zhiqiang",
    "Ting",
    "Hao",
    "Yu",
    "Xin",
    "Li",
    "Ming",
)
#: Invented platform names only (company rule: never a real lender beside an invented complaint).
#: Some start with a surname (安禾借, 石蕊贷, 白帆借, 夏至花, 柳岸分期) to test that they are not taken for names;
#: 叶知秋 and 温澜 read like personal names, so only the directory (passed as ``keep``) tells them apart.
PLATFORMS = (
    "虚构速贷",
    "示例花",
    "示例分期",
    "青禾钱包",
    "月光借条",
    "星云分期",
    "好运来贷",
    "鹿鸣分期",
    "安禾借",
    "柚子呗",
    "石蕊贷",
    "雾岛钱包",
    "桐叶分期",
    "白帆借",
    "夏至花",
    "演示金融",
    "云杉借条",
    "柳岸分期",
    "叶知秋",
    "温澜",
)
EN_PLATFORMS = ("FictiLoan", "Example Credit", "Qinghe Demo Wallet", "Moonlit Demo Loans")
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "166",
    "171",
    "173",
    "176",
    "177",
    "180",
    "181",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)
AREA_CODES_3 = ("010", "020", "021", "022", "023", "024", "025", "027", "028", "029")
AREA_CODES_4 = ("0755", "0571", "0731", "0371", "0532", "0591", "0871", "0898", "0551", "0791", "0451", "0311")
REGIONS = ("110101", "310104", "440305", "330106", "510107", "420102", "320102", "370202", "410105", "610113")
FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x30, 0x3A)}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def luhn_complete(body: str) -> str:
    """The body with the Luhn check digit appended."""
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char)
        if position % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return body + str((10 - total % 10) % 10)


def digits(rng: random.Random, count: int, first: str = "0123456789") -> str:
    """A random digit string whose first digit comes from ``first``."""
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(count - 1))


def mobile(rng: random.Random) -> str:
    """A mobile number in one of the ways people write them."""
    number = rng.choice(MOBILE_PREFIXES) + digits(rng, 8)
    a, b, c = number[:3], number[3:7], number[7:]
    return rng.choice(
        (
            number,
            number,
            f"{a}-{b}-{c}",
            f"{a} {b} {c}",
            f"+86 {a} {b} {c}",
            f"+86-{number}",
            f"0086 {number}",
            f"+86{number}",
            f"(+86){number}",
            f"86-{number}",
            number.translate(FULL_WIDTH),
            f"{a} - {b} - {c}",
        )
    )


def landline(rng: random.Random) -> str:
    """A landline with its area code, or a 400/800 service number."""
    kind = rng.random()
    if kind < 0.2:
        head = rng.choice(("400", "800"))
        rest = digits(rng, 7, "123456789")
        full = head + rest
        return rng.choice(
            (
                f"{head}-{rest[:3]}-{rest[3:]}",
                full,
                f"{head} {rest[:3]} {rest[3:]}",
                f"{full[:4]}-{full[4:7]}-{full[7:]}",
            )
        )
    if kind < 0.55:
        area, local = rng.choice(AREA_CODES_3), digits(rng, 8, "23456789")
    else:
        area, local = rng.choice(AREA_CODES_4), digits(rng, rng.choice((7, 8)), "23456789")
    return rng.choice(
        (
            f"{area}-{local}",
            f"{area}{local}",
            f"({area}){local}",
            f"（{area}）{local}",
            f"{area} {local[:4]} {local[4:]}",
        )
    )


def id_number(rng: random.Random) -> str:
    """A resident ID number with a valid check digit (one in ten an old 15-digit one)."""
    region = rng.choice(REGIONS)
    if rng.random() < 0.1:
        return f"{region}{rng.randint(50, 79)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{digits(rng, 3)}"
    body = f"{region}{rng.randint(1960, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{digits(rng, 3)}"
    number = body + id_check(body)
    return rng.choice((number, number, number, f"{number[:6]} {number[6:14]} {number[14:]}"))


def bank_card(rng: random.Random) -> str:
    """A Luhn-valid card number, plain or grouped by four."""
    length = rng.choice((16, 16, 19, 19, 17, 18))
    number = luhn_complete("62" + digits(rng, length - 3))
    grouped = " ".join(number[i : i + 4] for i in range(0, length, 4))
    return rng.choice((number, number, grouped, grouped.replace(" ", "-")))


def email(rng: random.Random) -> str:
    """A fictional e-mail address."""
    user = rng.choice(("zhangwei", "li.na", "wang_fang88", "chen2024", "kefu", "collector007", "xiaoming.liu"))
    return (
        f"{user}{rng.randint(1, 99)}@{rng.choice(('example.test', 'example.com', 'mail.example.org', 'example.net'))}"
    )


def url(rng: random.Random) -> str:
    """A fictional link, with or without scheme."""
    host = rng.choice(
        (
            "loan.example.com",
            "www.xugou-demo.cn",
            "h5.fake-daikuan.top",
            "t.example.cn",
            "repay.shili-jinrong.com",
            "www.example.net",
            "app.demo-loan.vip",
        )
    )
    path = rng.choice(("", "/repay", "/app/download?ch=12", "/AbC12x", "/h5/index.html#/login"))
    return rng.choice(("https://", "http://", "", "")) + host + path


def wechat_qq(rng: random.Random) -> tuple[str, str]:
    """A WeChat or QQ cue and the fictional id it introduces."""
    if rng.random() < 0.5:
        cue = rng.choice(
            ("微信号：", "微信", "加我微信 ", "VX:", "vx", "wx：", "V信", "微信号是", "加v：", "加V", "薇：")
        )
        first = rng.choice("abcdefghijklmnopqrstuvwxyz")
        tail = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789_") for _ in range(rng.randint(5, 12)))
        return cue, first + tail
    cue = rng.choice(("QQ号", "QQ:", "扣扣", "QQ ", "qq号是", "QQ号码："))
    return cue, digits(rng, rng.randint(6, 10), "123456789")


def chinese_name(rng: random.Random) -> str:
    """A fictional Chinese full name."""
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.05 else rng.choice(SURNAMES)
    return surname + rng.choice(GIVEN_NAMES)


def amount(rng: random.Random) -> str:
    """A money amount as complainants write it (never a personal detail)."""
    value = rng.choice((800, 1500, 3200, 5000, 12000, 25800, 46000))
    return rng.choice((f"{value}元", f"{value:,}元", f"¥{value}", f"{value / 10000:g}万元", f"{value}块"))


def day(rng: random.Random) -> str:
    """A date in one of the ways people write them (never a personal detail)."""
    y, m, d = rng.randint(2022, 2025), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice((f"{y}年{m}月{d}日", f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}", f"{m}月{d}号", f"{y}{m:02d}{d:02d}"))


ZH_SENTENCES = (
    "我在{platform}借了{amount}，{day}到期。",
    "{day}我在{platform}申请了一笔{amount}的贷款，分12期还。",
    "逾期{small}天后，催收员{name}每天打{small}个电话给我。",
    "一个自称{name}的人用{mobile}打电话威胁我，说要上门。",
    "催收人员{name}给我母亲{name}打电话，说我欠钱不还。",
    "{name}打电话到我单位，座机是{landline}。",
    "他们用{landline}和{mobile}轮流打我电话，从早上{hour}点打到晚上{hour}点。",
    "对方说他们是{platform}的委托机构，客服电话{landline}。",
    "催收的人把我的身份证号{id_number}发到了我的同学群里。",
    "他们要我把钱转到卡号{bank_card}的账户，说是对公账户。",
    "我已经还了{amount}，还款银行卡是{bank_card}，可是他们说没收到。",
    "对方用邮箱{email}给我发了律师函，说要起诉我。",
    "我的邮箱{email}每天都收到催款邮件。",
    "他们发短信让我点链接{url}还款，我不敢点。",
    "催收员让我下载{url}这个APP重新借款来还。",
    "他们让我加{wechat_qq}，加了以后就在里面骂我。",
    "催收的人又让我加{wechat_qq}私下协商。",
    "{surname}经理说如果今天不还{amount}就爆我通讯录。",
    "接电话的是一位{surname}女士，她说我的案子已经移交给律师。",
    "有个姓{surname}的催收员说要去我老家找我父母。",
    "对方自称是{platform}的法务{surname}先生，说我涉嫌诈骗。",
    "我的紧急联系人{name}也被他们骚扰了，电话号码{mobile}。",
    "他们还把我同事{name}和{name}拉进了一个群。",
    "我叫{name}，身份证号码{id_number}，手机{mobile}。",
    "我丈夫{name}接到电话后和我吵了一架。",
    "{name}在电话里说我不还钱就让我全家不得安宁。",
    "后来一个名叫{name}的人又用{mobile}发短信，说已经到了我家楼下。",
    "借款合同编号{contract}，借款金额{amount}，利息远超法定上限。",
    "{day}我已经向{platform}客服反映过，但是没有用。",
    "我在{day}晚上{hour}点接到了{small}个电话，全部来自不同号码。",
    "我希望监管部门能处理{platform}的暴力催收问题。",
    "请帮我核实这个号码{mobile}是不是{platform}的合作催收公司。",
    "对方的工号是{small}号，自称{name}。",
    "他们还用我的身份证{id_number}去别的平台查了我的征信。",
    "我朋友{name}的手机{mobile}也收到了恐吓短信。",
    "催收员{name}的QQ邮箱是{email}。",
    "我的银行卡{bank_card}被他们说要冻结。",
    "{platform}的客服{name}说可以减免一部分利息，但要先还{amount}。",
    "上个月{name}用{mobile}连续给我打了{small}个电话。",
    "那个人说他叫{name}，是{platform}外包公司的。",
    "{name}还给我的领导{name}打电话，说我是老赖。",
    "我表姐{name}也被骚扰，她的号码是{mobile}。",
    "对方发来一张照片，上面有我的身份证号码{id_number}和我女儿{name}的照片。",
    "{surname}律师说今天之内必须处理，否则起诉。",
    "{surname}总亲自打来，说我的账户{bank_card}会被冻结。",
    "{name}和{name}两个人轮流打电话骂我。",
    "请把钱打到{name}的个人账户{bank_card}。",
    "催款短信落款是{name}，回拨{landline}无人接听。",
    "他们发了我的照片到朋友圈，配文说{name}欠钱不还。",
    "平台客服{name}（工号{small}）答应给我停催。",
    "自称调解员的{name}让我联系{email}。",
    "他们叫我去{url}填写还款承诺书。",
    "加{wechat_qq}之后，一个叫{name}的人给我发了威胁语音。",
    "我跟{surname}先生说我在凑钱，他不听。",
    "联系电话：{mobile}，联系人：{name}。",
    "我老公{name}的单位也接到了{landline}打来的电话。",
    "昨天下午{name}又打来了，号码换成了{mobile}。",
    "我妹妹{name}在学校也收到了短信。",
    "打电话的女的说她是{name}，让我今晚之前还{amount}。",
    "{surname}阿姨是我房东，也被他们打扰了。",
    "他们把{name}、{name}、{name}这几个人的电话都打遍了。",
    "据说负责我这单的是{name}，手机{mobile}，微信同号。",
    "他们威胁说要把我的卡号{bank_card}和身份证{id_number}公布出去。",
    "还款要转到{name}名下的银行卡，卡号是{bank_card}。",
    "我回复了{email}，要求对方出示委托书。",
    "{name}说：“你不还钱，我们就去你公司。”",
    "我的婆婆{name}七十多岁了，被吓得住院。",
    "短信里有一个链接{url}，打开是一个借款页面。",
    "接待我的{surname}警官说会调查。",
    "前天晚上{hour}点多，{name}打了我{small}个电话。",
    "{platform}的工作人员{name}承认了他们外包给了第三方。",
    "我的客户经理{name}已经离职，电话{mobile}打不通。",
    "今天早上七点{name}就开始给我打电话，用的是{mobile}。",
    "我跟他说我在想办法，{name}直接挂了电话。",
    "后面换了个男的，说自己是{surname}主管，口气很凶。",
    "他们建了个群，把我老婆{name}、我舅舅{name}都拉进去了。",
    "群主的昵称叫{name}，加他要通过{wechat_qq}。",
    "我身份证是{id_number}，他们连这个都知道。",
    "请问{landline}是不是正规公司的电话？",
    "他们要求打款到个人卡{bank_card}，户名{name}。",
    "我查了一下{url}，根本不是正规网站。",
    "还有一封邮件，发件人{email}，标题写着“最后通牒”。",
    "{name}还冒充法院的人给我爸{name}打电话。",
    "我本人{name}，在此实名投诉{platform}。",
    "那个姓{surname}的还说要让我社会性死亡。",
    "我打{landline}投诉，接电话的{surname}小姐态度很差。",
    "每次都是{name}打来，有时候一天{small}次。",
    "我们公司的{name}主任也接到了他们的电话。",
)
#: Sentences with no personal detail but many words that start with a surname character, and
#: numbers that are not personal: every finding in them is a false alarm.
ZH_PLAIN = (
    "我很高兴有这个平台可以投诉，希望文明催收。",
    "他们马上就来，常常半夜打电话，严重影响我的生活。",
    "关于这件事我向银行反映过，包括利息和罚金都不合理。",
    "于是我报警了，派出所的民警说这属于民事纠纷。",
    "万一我家里人出事谁负责？我只想和平解决。",
    "对方陈述的金额不对，合同上写的是分12期，每期1,280.50元。",
    "白天晚上都打，周末也不停，节假日照样骚扰。",
    "他们说要找我的家人和同事，还要去单位闹。",
    "程序根本不合法，短信内容雷同，都是模板。",
    "我已经没有安全感了，晚上不敢开门。",
    "钱包里只剩下几十块钱，房租还没交。",
    "他说石头砸窗户只是小事，江湖规矩就是这样。",
    "路上有人跟着我，车上也被贴了欠债的纸条。",
    "黄金周期间也没停过，一天打了上百个电话。",
    "孔子说己所不欲勿施于人，他们根本不讲道理。",
    "高明的话术也改变不了他们违法的事实。",
    "方便的话请尽快处理，我每天都很焦虑。",
    "他们向我收取了所谓的服务费和会员费。",
    "我的征信报告显示逾期，可是我早已结清。",
    "金额从最初的借款涨到了现在的三倍多。",
    "明天是最后期限，他们说不还就上门。",
    "严格来说这些费用都是非法的。",
    "他们冒充公安局和法院的人，说要抓我。",
    "通讯录里的人几乎都接到了电话。",
    "我在2023年就已经还清了，截图都在。",
    "温和地沟通没有任何用，只会换来辱骂。",
    "龙头企业也这样催收，实在让人失望。",
    "杨柳依依的季节，我却每天被电话吓醒。",
    "我每个月工资只有四千多，真的还不起。",
    "黄色的催款单贴满了我家的门。",
    "马路对面一直有人盯着我家。",
    "高速公路上也接到了电话，差点出车祸。",
    "白天上班不能接电话，他们就打到公司前台。",
    "金钱不是一切，但他们把人逼到了绝路。",
    "万众一心，希望有关部门严查。",
    "向来守信用的我，从来没有逾期过。",
    "关键是利息远远超过了法律规定的上限。",
    "常州的一家公司说受托处理我的欠款。",
    "孟子说穷则独善其身，我现在只想安静生活。",
    "程度越来越严重，已经影响到我的健康。",
    "于事无补的道歉我不需要。",
    "华灯初上的时候，手机自带的拦截功能也拦不住。",
    "石家庄的催收公司打来的电话最多。",
    "曹操说曹操到，刚说完电话就来了。",
    "公司领导说让我自己解决。",
    "林林总总加起来有二十多个号码。",
    "邻居阿姨说昨天有人来敲门。",
    "于是他们又打给我爸妈。",
    "我承认我有逾期，但他们的做法已经违法了。",
    "他们在网上把我的照片P成了通缉令。",
    "利滚利，三千块变成了一万多。",
    "江边散步的时候也在接他们的电话。",
    "石油公司上班的朋友也被骚扰了。",
    "金秋十月本该是丰收的季节。",
    "白天黑夜都不让人安生。",
    "任何时候打过去都是忙音。",
    "方正的字体印着“催款通知”。",
    "我是石家庄人，在北京打工。",
    "车主说车被喷漆了。",
    "钟点工阿姨也接到了电话。",
    "我是单亲妈妈，一个人带孩子。",
    "方面的负责人说会处理。",
    "平安夜那天也有人打来电话说核实信息。",
    "陆续有人加我好友，自称是催收公司的。",
    "常年在外打工，家里只有老人。",
    "金主说利息一分都不能少。",
)
EN_SENTENCES = (
    "I borrowed {amount_en} from {platform_en} on {day_en}.",
    "A collector named {en_name} called me {small} times a day from {mobile}.",
    "They called my mother {en_name} at {mobile} and insulted her.",
    "Mr {en_surname} said he would visit my workplace if I did not pay by {day_en}.",
    "The office line they used was {landline}.",
    "They posted my ID number {id_number} in a group chat with my colleagues.",
    "They asked me to transfer the money to card {bank_card}.",
    "The threats came by e-mail from {email}.",
    "They sent me a link {url} to repay.",
    "The collector asked me to add his {wechat_qq_en}.",
    "My emergency contact {en_name} also received threatening messages.",
    "I already repaid {amount_en} on {day_en}, but they keep calling.",
    "The loan was {amount_en} over 12 months with a fee I never agreed to.",
)


def _fill(rng: random.Random, template: str, text: list[str], details: list[dict[str, object]]) -> None:
    """Append a template to the narrative, filling its slots and recording the planted details."""
    offset = sum(len(part) for part in text)
    for piece in re.split(r"(\{\w+\})", template):
        slot = piece[1:-1] if piece.startswith("{") else None
        planted: tuple[str, str] | None = None
        if slot is None:
            value = piece
        elif slot in ("mobile", "landline", "id_number", "bank_card", "email", "url"):
            value = {
                "mobile": mobile,
                "landline": landline,
                "id_number": id_number,
                "bank_card": bank_card,
                "email": email,
                "url": url,
            }[slot](rng)
            planted = (slot, value)
        elif slot in ("wechat_qq", "wechat_qq_en"):
            cue, ident = wechat_qq(rng)
            if slot == "wechat_qq_en":
                cue = rng.choice(("WeChat: ", "WeChat ID ", "QQ ", "QQ number "))
            text.append(cue)
            offset += len(cue)
            value, planted = ident, ("wechat_qq", ident)
        elif slot == "name":
            value = chinese_name(rng)
            planted = ("name", value)
        elif slot == "surname":
            value = rng.choice(SURNAMES)
            planted = ("name", value)
        elif slot == "en_name":
            value = f"{rng.choice(PINYIN_SURNAMES)} {rng.choice(PINYIN_GIVEN)}"
            planted = ("name", value)
        elif slot == "en_surname":
            value = rng.choice(PINYIN_SURNAMES)
            planted = ("name", value)
        else:
            value = {
                "platform": lambda: rng.choice(PLATFORMS),
                "platform_en": lambda: rng.choice(EN_PLATFORMS),
                "amount": lambda: amount(rng),
                "amount_en": lambda: f"{rng.choice((3200, 5000, 12000))} yuan",
                "day": lambda: day(rng),
                "day_en": lambda: f"{rng.randint(1, 28)} March {rng.randint(2022, 2025)}",
                "small": lambda: str(rng.randint(2, 60)),
                "hour": lambda: str(rng.randint(6, 11)),
                "contract": lambda: f"JK{rng.randint(2022, 2025)}{digits(rng, 8)}",
            }[slot]()
        if planted:
            details.append({"kind": planted[0], "text": planted[1], "start": offset})
        text.append(value)
        offset += len(value)


def narrative(rng: random.Random, english: bool) -> dict[str, object]:
    """One complaint narrative of three to six sentences, with what was planted in it."""
    sentences = EN_SENTENCES if english else ZH_SENTENCES
    text: list[str] = []
    details: list[dict[str, object]] = []
    chosen = rng.sample(sentences, rng.randint(3, 6))
    if not english:
        for plain in rng.sample(ZH_PLAIN, rng.randint(0, 2)):
            chosen.insert(rng.randint(0, len(chosen)), plain)
    for index, template in enumerate(chosen):
        if english and index:
            text.append(" ")
        _fill(rng, template, text, details)
    joined = "".join(text)
    for detail in details:
        start = int(str(detail["start"]))
        assert joined[start : start + len(str(detail["text"]))] == detail["text"]
    return {"language": "en" if english else "zh_Hans", "text": joined, "details": details}


def main() -> None:
    """Write the corpus file (or the path given as the first argument), one narrative a line."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    rng = random.Random(SEED)
    rows = [narrative(rng, english=False) for _ in range(CHINESE_NARRATIVES)]
    rows += [narrative(rng, english=True) for _ in range(ENGLISH_NARRATIVES)]
    with out.open("w", encoding="utf-8") as lines:
        for number, row in enumerate(rows, start=1):
            lines.write(json.dumps({"id": number, **row}, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} narratives to {out}")


if __name__ == "__main__":
    main()
