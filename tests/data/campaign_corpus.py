"""A corpus of bulk-filed campaigns and genuine complaints, written for the near-duplicate detector.

Everything here is invented: the platforms (快易贷 and its spellings, 青禾分期), the agents, the
people, the phone numbers (the 1550000xxxx block) and the amounts.

A paid "anti-collection" agent files batches from one template with small substitutions (names,
amounts, dates, cities) and the cheap evasions an outside tester tried:

1. two personal sentences added;
2. the sentences shuffled;
3. seven phrases reworded;
4. the platform spelled another way;
5. a new text with the batch's screenshot attached.

The genuine complaints are about the same platform and name the same collector's number, each told
in its own words: people describe the same collector's calls and threats, so they share phrases
and sometimes a whole sentence, but none is a copy of another.

`build()` returns the corpus with a fixed seed, so the recall and false-positive rates in the note
and in tests/unit/casework/test_campaign_corpus.py are reproducible.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

#: The collector's number every complaint names (genuine and batch alike).
COLLECTOR_PHONE = "15500001234"
#: The agent's phone, given as the contact number of some batch members.
AGENT_PHONE = "15500009876"

PLATFORM_SPELLINGS = ["快易贷", "快易 贷", "快e贷", "KuaiYiDai", "快易贷APP", "快易贷平台"]

#: Template A (Chinese), one sentence per item, slots in braces.
TEMPLATE_ZH = [
    "本人于{date}在{platform}借款{amount}元，因近期收入减少，未能按期还款。",
    "逾期后，催收人员每天拨打电话十余次，言语辱骂，威胁要上门讨债。",
    "催收人员还将本人的欠款信息发送给通讯录中的亲友和同事，严重影响本人的工作和生活。",
    "对方自称是律师事务所的工作人员，声称已经立案，要求本人当天还清全部欠款。",
    "对方还威胁说，如果不还款就会被起诉，并被列入征信黑名单，子女不能上学。",
    "本人多次提出协商分期还款，均被对方拒绝，对方反而变本加厉。",
    "上述催收行为严重违反了相关法律法规，给本人及家人造成了极大的精神压力。",
    "请求监管部门依法调查处理，责令平台停止暴力催收，并减免不合理的罚息和费用。",
]

#: Template B (English), for complaints filed in English.
TEMPLATE_EN = [
    "On {date} I borrowed {amount} yuan through {platform} and could not repay on time after losing income.",
    "Since then the collectors have called me more than ten times a day, insulting me and threatening to visit.",
    "They sent my debt details to friends and colleagues in my phone contacts, which damaged my job.",
    "The caller claimed to work for a law firm and said a lawsuit had already been filed against me.",
    "He threatened that my credit record would be blacklisted and my children barred from school.",
    "I offered several times to repay in instalments, but they refused and the pressure only grew worse.",
    "These collection practices violate the rules and have caused my family great distress.",
    "I ask the regulator to investigate, order the platform to stop abusive collection and waive unfair fees.",
]

#: Seven hand-written rewordings of template A: (phrase, replacement). Evasion 3 applies all seven.
REWORDINGS_ZH = [
    ("因近期收入减少", "由于最近工作不稳定、收入下降"),
    ("每天拨打电话十余次", "一天之内打来十几个电话"),
    ("言语辱骂", "用脏话骂我"),
    ("严重影响本人的工作和生活", "让我在单位抬不起头，生活也被打乱"),
    ("声称已经立案", "说案子已经在法院立上了"),
    ("均被对方拒绝", "对方一概不同意"),
    ("给本人及家人造成了极大的精神压力", "让我和家里人整天担惊受怕"),
]

REWORDINGS_EN = [
    ("could not repay on time after losing income", "fell behind on payments when my income dropped"),
    ("more than ten times a day", "a dozen times every day"),
    ("insulting me", "swearing at me"),
    ("which damaged my job", "and my manager has heard about it"),
    ("said a lawsuit had already been filed against me", "told me a court case was already open"),
    ("they refused", "they would not agree"),
    ("have caused my family great distress", "leave my family frightened all the time"),
]

#: Personal sentences agents add to make a copy look individual (evasion 1 adds two).
PERSONAL_ZH = [
    "我的孩子刚上小学，每天接送都提心吊胆。",
    "我已经连续好几个晚上睡不着觉了。",
    "我母亲身体不好，接到电话后血压一直很高。",
    "单位领导已经找我谈过两次话。",
    "我现在一听到电话铃声就发抖。",
    "我爱人因为这件事和我吵了很多次。",
    "我刚找到一份新工作，很怕又丢掉。",
    "我住在出租屋里，房东也接到了电话。",
]
PERSONAL_EN = [
    "My son has just started primary school and I am afraid on every school run.",
    "I have not slept properly for several nights.",
    "My mother has a heart condition and her blood pressure went up after their calls.",
    "My manager has called me into the office twice about this.",
]

#: Genuine complaints, each written on its own, about the same platform and the same collector's
#: number ({phone}); people describe the same collector's calls and threats, so they share words
#: and short phrases, but none is a copy of another.
GENUINE = [
    "我在{platform}借了3000元，逾期了五天。{phone}这个号码从早上八点打到晚上十点，我不接就换号码打，还骂我全家。",
    "号码{phone}给我公司前台打电话，说我是老赖，让前台转告我老板。现在同事都在背后议论我，我快待不下去了。",
    "去年十一月在{platform}分期买了手机，最后两期没还上。催收员（{phone}）把我的照片P成通缉令发到了我们村的微信群里。",
    "凌晨一点多，{phone}打来电话，说如果明天中午之前不还钱，就让人去我老家找我爸妈。我爸妈七十多岁了，被吓得一晚上没睡。",
    "对方自称是派出所民警，号码是{phone}，说我涉嫌诈骗，要我马上转账到他给的银行卡上，不然就来抓人。我查了，根本没有这个警察。",
    "我只欠{platform}八百多块，{phone}的人却说我要还两千四，多出来的是什么“服务费”。我不同意，他就开始给我通讯录里的人打电话。",
    "我妹妹今年才上初中，{phone}给她发短信说她姐姐欠钱跑路了，让她劝我还钱。孩子哭着给我打电话。",
    "我是外卖骑手，送餐时一直接到{phone}的电话，一天二十多个。我跟他说月底发工资就还，他说等不了，骂得很难听。",
    "{platform}的催收把我拉进了一个微信群，群里是我的同学和前同事，他们在群里发我的身份证照片。号码是{phone}。",
    "我已经和{platform}客服说好了延期一周，可是{phone}还是每天打，说客服说的不算数。",
    "催收员用{phone}打给我的房东，说我是骗子，让房东把我赶出去。房东现在要我下个月搬走。",
    "有一次{phone}打来，对方说他们已经到了我家小区门口，还报出了我的楼号。我一个人带孩子在家，吓得不敢开门。",
    "接到{phone}的电话，让我去别的网贷平台借钱来还{platform}，还给我推荐了几个app。我没同意，他就说要让我“社死”。",
    "我爱人在医院住院，我跟催收{phone}解释晚几天还，他说关他什么事，还说我爱人活该。",
    "{phone}每天给我发几十条短信，内容都是侮辱性的话，还有一条说要把我的事发到抖音上。",
    (
        "I borrowed from {platform} in June. The collector on {phone} called my sister and told her I had stolen "
        "money. I never stole anything."
    ),
    (
        "The man calling from {phone} said he is a lawyer and a court order against me will arrive tomorrow. "
        "No letter ever came."
    ),
    (
        "Every morning at six {phone} calls me, and if I hang up he texts my colleagues. "
        "My team leader asked me what is going on."
    ),
    "我在{platform}的借款已经还清了，{phone}还是打电话来说我欠钱，说我的还款没到账，让我再转一次。",
    "我用{platform}买了一台笔记本电脑，现在还剩三期。{phone}打到我大学辅导员那里，辅导员找我谈话了。",
    "我的微信被{phone}的人加了三个小号，每个小号都发我欠款的截图，还有我父母的名字。",
    "{phone}说要是我再不还，就把我的借款信息寄到我单位，让全单位的人都知道。我在事业单位上班，很害怕。",
    "对方（{phone}）一直说要上门，我说你来吧，我们当面谈还款，他又说不来了，只是让我今天必须还清。",
    "我在{platform}借钱给我妈看病，逾期十二天。催收员{phone}说我妈看病关他屁事，让我去卖血还钱。",
    "号码{phone}打到我前男友那里，不知道他们怎么有他的号码，我从来没填过他作紧急联系人。",
    "我每个月都按时还款，只有这一期晚了两天，{phone}就开始威胁说要把我列入失信名单，还说我孩子以后考不了公务员。",
    (
        "I am a delivery driver and {phone} keeps calling while I drive. "
        "Yesterday I nearly had an accident because of the calls."
    ),
    "{phone}冒充法院的人，发来一张“立案通知书”的图片，上面连法院的名字都写错了。",
    "我跟{phone}说我要投诉，他说随便投诉，投诉也没用，他们背后有人。",
    "我女儿的幼儿园老师接到了{phone}的电话，说我欠了{platform}的钱不还，老师问我是不是出什么事了。",
]


@dataclass
class Filing:
    """One complaint of the corpus, as the detector sees it."""

    key: str
    narrative: str
    platform: str
    group: str  # "campaign-zh", "campaign-en", or "genuine"
    evasion: str = ""
    contact_phone: str = ""
    evidence: list[str] = field(default_factory=list)  # SHA-256 hex digests of attached files
    reported_phones: list[str] = field(default_factory=list)


def _sha(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


#: The one screenshot an agent attached to eight members of the Chinese batch.
SHARED_SCREENSHOT = _sha("agent-screenshot-0001")


def _fill(sentences: list[str], rng: random.Random, platform: str) -> list[str]:
    slots = {
        "date": f"2026年{rng.randint(1, 9)}月{rng.randint(1, 28)}日",
        "amount": str(rng.randrange(2000, 30000, 100)),
        "platform": platform,
    }
    return [sentence.format(**slots) for sentence in sentences]


def _fill_en(sentences: list[str], rng: random.Random, platform: str) -> list[str]:
    slots = {
        "date": f"{rng.randint(1, 28)} {rng.choice(['March', 'April', 'May', 'June'])} 2026",
        "amount": f"{rng.randrange(2000, 30000, 100):,}",
        "platform": platform,
    }
    return [sentence.format(**slots) for sentence in sentences]


def _reword(sentences: list[str], pairs: list[tuple[str, str]]) -> list[str]:
    text = "\n".join(sentences)
    for phrase, replacement in pairs:
        assert phrase in text, phrase
        text = text.replace(phrase, replacement)
    return text.split("\n")


def _campaign_zh(rng: random.Random) -> list[Filing]:
    """25 members of template A, five of each evasion; eight share the screenshot, six the agent's phone."""
    evasions = ["copy", "personal", "shuffled", "reworded", "spelling"] * 5
    members: list[Filing] = []
    for index, evasion in enumerate(evasions):
        platform = PLATFORM_SPELLINGS[0] if evasion != "spelling" else PLATFORM_SPELLINGS[1 + index % 5]
        sentences = _fill(TEMPLATE_ZH, rng, platform)
        if evasion == "personal":
            extra = rng.sample(PERSONAL_ZH, 2)
            sentences.insert(2, extra[0])
            sentences.insert(5, extra[1])
        elif evasion == "shuffled":
            rng.shuffle(sentences)
        elif evasion == "reworded":
            sentences = _reword(sentences, REWORDINGS_ZH)
        members.append(
            Filing(
                key=f"zh-{index:02d}",
                narrative="".join(sentences),
                platform=platform,
                group="campaign-zh",
                evasion=evasion,
                contact_phone=AGENT_PHONE if index % 4 == 0 else f"155000{rng.randrange(10**5):05d}",
                reported_phones=[COLLECTOR_PHONE],
            )
        )
    # Evasion 5: two members carry a new text of their own, and only the screenshot ties them.
    members[23].narrative = "我被催收的人骚扰了很久，打电话给我单位，还说要上门。我实在受不了了，请你们帮帮我。"
    members[23].evasion = "new text, same screenshot"
    members[24].narrative = "借了快易贷的钱之后，每天都有陌生号码打来，骂得很难听。他们把我的事告诉了我所有的朋友。"
    members[24].evasion = "new text, same screenshot"
    for member in members[17:25]:
        member.evidence = [SHARED_SCREENSHOT]
    return members


def _campaign_en(rng: random.Random) -> list[Filing]:
    """Ten members of template B, two of each evasion except the screenshot."""
    evasions = ["copy", "personal", "shuffled", "reworded", "spelling"] * 2
    members: list[Filing] = []
    for index, evasion in enumerate(evasions):
        platform = "KuaiYiDai" if evasion != "spelling" else ["Kuai Yi Dai", "QuickEasyLoan"][index % 2]
        sentences = _fill_en(TEMPLATE_EN, rng, platform)
        if evasion == "personal":
            extra = rng.sample(PERSONAL_EN, 2)
            sentences.insert(2, extra[0])
            sentences.insert(5, extra[1])
        elif evasion == "shuffled":
            rng.shuffle(sentences)
        elif evasion == "reworded":
            sentences = _reword(sentences, REWORDINGS_EN)
        members.append(
            Filing(
                key=f"en-{index:02d}",
                narrative=" ".join(sentences),
                platform=platform,
                group="campaign-en",
                evasion=evasion,
                contact_phone=f"155000{rng.randrange(10**5):05d}",
                reported_phones=[COLLECTOR_PHONE],
            )
        )
    return members


def _genuine(rng: random.Random) -> list[Filing]:
    """The genuine complaints, each with its own contact number; some with a screenshot of their own."""
    filings = []
    for index, text in enumerate(GENUINE):
        platform = rng.choice(["快易贷", "快易贷APP"])
        filings.append(
            Filing(
                key=f"genuine-{index:02d}",
                narrative=text.format(platform=platform, phone=COLLECTOR_PHONE),
                platform=platform,
                group="genuine",
                contact_phone=f"1550001{rng.randrange(10**4):04d}",
                evidence=[_sha(f"genuine-screenshot-{index}")] if rng.random() < 0.4 else [],
                reported_phones=[COLLECTOR_PHONE],
            )
        )
    return filings


def template_copy(number: int, platform: str = "快易贷") -> str:
    """Copy `number` of template A as a batch varies it: its own amount and date; every third from
    the second on with its sentences moved round, every third from the third with the rewordings."""
    sentences = [
        sentence.format(
            date=f"2026年{number % 9 + 1}月{number % 27 + 1}日", amount=f"{4000 + 100 * number}", platform=platform
        )
        for sentence in TEMPLATE_ZH
    ]
    if number % 3 == 1:
        sentences = sentences[3:] + sentences[:3]
    text = "".join(sentences)
    if number % 3 == 2:
        for phrase, replacement in REWORDINGS_ZH:
            text = text.replace(phrase, replacement)
    return text


def build(seed: int = 14) -> list[Filing]:
    """The corpus: 25 members of the Chinese batch, 10 of the English one, and 30 genuine complaints."""
    rng = random.Random(seed)
    return _campaign_zh(rng) + _campaign_en(rng) + _genuine(rng)
