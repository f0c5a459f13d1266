"""Write redaction_forms_corpus.jsonl: narratives with details written the way people really write them.

Run ``python tests/data/make_redaction_forms_corpus.py [OUT]``; the output is the same on every run
(seeded). This corpus was written after the detectors of issue 10 part 4, with its own seed,
templates and vocabulary (none copied from the detectors' tests), to measure them rather than to
fit them: phones and IDs in Chinese numerals (幺, the financial forms, 〇), mixed, spaced, full-width
or split; addresses, licence plates, nicknames, spaced names, rare surnames and three-character
names; each narrative's own private values (what the consumer typed into the form) planted in
other written forms; and non-personal tokens that must survive: amounts, dates, times, counts,
regulator hotlines and platform names. Every person, number, place and platform is invented.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).with_name("redaction_forms_corpus.jsonl")
SEED = 20261203
NARRATIVES = 240

#: Invented platforms only; 宁远 and 林间 read like a personal name and a place, so only the
#: directory (passed as ``keep``) tells them apart.
PLATFORMS = ("样例钱包", "演示借条", "虚构分期宝", "示范金融", "拟态花", "范例速借", "宁远", "林间借")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
RARE_SURNAMES = "訾亓逯郇郗晁钮嵇隗缑阚郦扈蒯芮邴宓昝仉糜"
RARE_COMPOUNDS = ("万俟", "澹台", "公冶", "宗政", "濮阳", "淳于", "申屠", "呼延", "赫连", "钟离", "南宫", "拓跋")
GIVEN_ONE = "静磊敏洁涛勇霞凯薇岚峥珂婧昭翊骁岑筠珩璟"
GIVEN_TWO = (
    "晓岚",
    "思彤",
    "嘉懿",
    "浩南",
    "秋雯",
    "文涛",
    "振华",
    "雅楠",
    "玉琴",
    "海鹰",
    "昊天",
    "子墨",
    "欣妍",
    "志鹏",
    "翠萍",
    "明轩",
    "宏达",
    "婉清",
    "锦程",
    "若兰",
    "立峰",
    "国栋",
    "梦琪",
    "俊熙",
)
NICK_CHARS = "芳强明丽军华红杰涛磊婷燕峰勇敏亮"
ESTATES = (
    "翡翠湾",
    "金桂苑",
    "望江花园",
    "和谐家园",
    "丽景新村",
    "东湖公寓",
    "碧水山庄",
    "星河大厦",
    "枫林小区",
    "春晖小区",
)
ROADS = ("解放路", "人民大道", "中山北路", "滨江路", "文化街", "青年路", "建设大街", "长虹路")
DISTRICTS = ("城关区", "江北区", "高新区", "经开区", "西湖区", "天河区", "雁塔区", "金水区")
VILLAGES = ("李家村", "王庄", "柳树屯", "石桥村", "东河村", "杨家庄")
PROVINCES = "京津沪渝冀豫云辽湘皖鲁苏浙赣鄂桂晋陕闽粤川"
MOBILE_PREFIXES = ("133", "135", "137", "139", "150", "152", "158", "166", "177", "181", "186", "189", "191", "199")
AREA_CODES = ("010", "021", "025", "027", "0571", "0755", "0731", "0871")
REGIONS = ("110108", "310115", "440106", "330102", "510104", "420106", "320104", "370212")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHINESE = "零一二三四五六七八九"
FINANCIAL = "零壹贰叁肆伍陆柒捌玖"
FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x30, 0x3A)}

Planted = tuple[str, str, str]  # kind, text, form


def _chinese(digits: str, rng: random.Random, style: str = "") -> str:
    """Digits read out in Chinese numerals: plain, with 幺 for one, with 〇 for zero, or financial."""
    style = style or rng.choice(("plain", "yao", "ling", "financial"))
    table = FINANCIAL if style == "financial" else CHINESE
    out = "".join(table[int(d)] for d in digits)
    if style == "yao":
        out = out.replace("一", "幺")
    if style == "ling":
        out = out.replace("零", "〇")
    return out


def id_check(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def mobile_digits(rng: random.Random) -> str:
    """A fictional mobile number, digits only."""
    return rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def write_number(digits: str, rng: random.Random) -> tuple[str, str]:
    """A phone number in one of the ways people write it to get past filters, and the name of that form."""
    a, b, c = digits[:3], digits[3:7], digits[7:]
    forms: dict[str, Callable[[], str]] = {
        "chinese": lambda: _chinese(digits, rng, "plain"),
        "chinese_yao": lambda: _chinese(digits, rng, "yao"),
        "chinese_ling": lambda: _chinese(digits, rng, "ling"),
        "financial": lambda: _chinese(digits, rng, "financial"),
        "mixed": lambda: f"{_chinese(a, rng)} {b} {c}",
        "mixed_tail": lambda: f"{a} {_chinese(b, rng, 'plain')} {c}",
        "mixed_glued": lambda: _chinese(a, rng, "plain") + b + c,
        "spaced_digits": lambda: " ".join(digits),
        "spaced_chinese": lambda: " ".join(_chinese(digits, rng, "plain")),
        "full_width": lambda: digits.translate(FULL_WIDTH),
        "full_width_grouped": lambda: f"{a} {b} {c}".translate(FULL_WIDTH),
        "commas": lambda: f"{a}，{b}，{c}",
        "dots": lambda: f"{a}.{b}.{c}",
        "slashes": lambda: f"{a}/{b}/{c}",
        "dashes_spaced": lambda: f"{a} - {b} - {c}",
        "split_by_words": lambda: f"{a}，后面是{b}{c}",
    }
    form = rng.choice(tuple(forms))
    return forms[form](), form


def mobile(rng: random.Random) -> Planted:
    """A mobile number in a hard written form."""
    text, form = write_number(mobile_digits(rng), rng)
    return "mobile", text, form


def landline(rng: random.Random) -> Planted:
    """A landline in Chinese numerals or mixed with ASCII digits."""
    area = rng.choice(AREA_CODES)
    local = rng.choice("2345678") + "".join(rng.choice("0123456789") for _ in range(7 if len(area) == 3 else 6))
    form = rng.choice(("chinese", "mixed", "full_width"))
    if form == "chinese":
        return "landline", _chinese(area + local, rng), form
    if form == "mixed":
        return "landline", f"{_chinese(area, rng, 'plain')}-{local}", form
    return "landline", f"{area}-{local}".translate(FULL_WIDTH), form


def id_number(rng: random.Random) -> Planted:
    """An ID number with a valid check character, in Chinese numerals, full width or spaced."""
    body = f"{rng.choice(REGIONS)}{rng.randint(1965, 2003)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += "".join(rng.choice("0123456789") for _ in range(3))
    number = body + id_check(body)
    form = rng.choice(("chinese", "financial", "full_width", "spaced", "mixed"))
    tail = number[17]
    if form == "chinese":
        return "id_number", _chinese(number[:17], rng, "plain") + (tail if tail == "X" else CHINESE[int(tail)]), form
    if form == "financial":
        return (
            "id_number",
            _chinese(number[:17], rng, "financial") + (tail if tail == "X" else FINANCIAL[int(tail)]),
            form,
        )
    if form == "full_width":
        return "id_number", number.translate(FULL_WIDTH).replace("X", "Ｘ"), form
    if form == "spaced":
        return "id_number", f"{number[:6]} {number[6:10]} {number[10:14]} {number[14:]}", form
    return "id_number", _chinese(number[:6], rng, "plain") + number[6:], form


def _unit_number(rng: random.Random, low: int, high: int, chinese: bool) -> str:
    value = rng.randint(low, high)
    if chinese and value < 10:
        return CHINESE[value]
    return str(value)


def address(rng: random.Random) -> Planted:
    """An address as people write it in a complaint."""
    chinese = rng.random() < 0.3
    building = _unit_number(rng, 1, 18, chinese)
    unit = _unit_number(rng, 1, 6, chinese)
    room = f"{rng.randint(1, 28)}0{rng.randint(1, 4)}"
    form = rng.choice(("estate_units", "estate_only", "road_number", "district_road", "village", "building_only"))
    if form == "estate_units":
        estate, building_word, ending = (
            rng.choice(ESTATES),
            rng.choice(("栋", "号楼", "幢")),
            rng.choice(("室", "", "号")),
        )
        text = f"{estate}{building}{building_word}{unit}单元{room}{ending}"
    elif form == "estate_only":
        text = rng.choice(ESTATES)
    elif form == "road_number":
        text = f"{rng.choice(ROADS)}{rng.randint(1, 399)}号"
    elif form == "district_road":
        text = f"{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randint(1, 399)}号{rng.choice(ESTATES)}{building}栋"
    elif form == "village":
        text = f"{rng.choice(VILLAGES)}{_unit_number(rng, 1, 9, chinese)}组{rng.randint(1, 80)}号"
    else:
        text = f"{building}号楼{unit}单元{room}"
    return "address", text, form


def plate(rng: random.Random) -> Planted:
    """A licence plate: ordinary, with a dot or a space, or a new-energy one of six characters."""
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    head = rng.choice(PROVINCES) + rng.choice(letters[:12])
    form = rng.choice(("plain", "dot", "space", "new_energy", "new_energy_dot", "lower"))
    tail = "".join(rng.choice("0123456789" + letters[:6]) for _ in range(4)) + rng.choice("0123456789")
    if form.startswith("new_energy"):
        tail = rng.choice("DF") + "".join(rng.choice("0123456789") for _ in range(5))
    if form == "lower":
        return "plate", head[0] + (head[1:] + tail).lower(), form
    separator = {"dot": "·", "new_energy_dot": "·", "space": " "}.get(form, "")
    return "plate", head + separator + tail, form


def person(rng: random.Random) -> Planted:
    """A personal name in a form the old rules missed: nickname, spaced, rare surname, three characters."""
    form = rng.choice(
        ("nickname_xiao", "nickname_lao", "nickname_a", "nickname_ge", "spaced", "rare", "rare_compound", "three")
    )
    surname = rng.choice(SURNAMES)
    if form == "nickname_xiao":
        return "name", "小" + rng.choice((surname, rng.choice(NICK_CHARS))), form
    if form == "nickname_lao":
        return "name", "老" + surname, form
    if form == "nickname_a":
        return "name", "阿" + rng.choice(NICK_CHARS), form
    if form == "nickname_ge":
        return "name", rng.choice(NICK_CHARS) + rng.choice("哥姐"), form
    if form == "spaced":
        return "name", " ".join(surname + rng.choice(GIVEN_TWO)), form
    if form == "rare":
        return "name", rng.choice(RARE_SURNAMES) + rng.choice((rng.choice(GIVEN_ONE), rng.choice(GIVEN_TWO))), form
    if form == "rare_compound":
        return "name", rng.choice(RARE_COMPOUNDS) + rng.choice(GIVEN_ONE), form
    return "name", surname + rng.choice(GIVEN_TWO), form


def amount(rng: random.Random) -> str:
    """Money as complainants write it."""
    value = rng.choice((600, 1800, 2500, 4300, 9900, 15000, 36000))
    return rng.choice(
        (f"{value}元", f"{value:,}元", f"{value}块钱", "三千二百元", "一万五千块", "两千元", f"{value / 10000:g}万")
    )


def day(rng: random.Random) -> str:
    """A date in digits or Chinese numerals."""
    y, m, d = rng.randint(2022, 2025), rng.randint(1, 12), rng.randint(1, 28)
    chinese_year = "二〇" + "".join(CHINESE[int(c)] for c in str(y)[2:])
    return rng.choice(
        (
            f"{y}年{m}月{d}日",
            f"{y}.{m:02d}.{d:02d}",
            f"{m}月{d}号",
            f"{chinese_year}年{CHINESE[m] if m < 10 else '十'}月",
            f"{y}/{m}/{d}",
        )
    )


def clock(rng: random.Random) -> str:
    """A time of day."""
    h, minute = rng.randint(6, 23), rng.choice((0, 15, 30, 45))
    return rng.choice(
        (
            f"{h}:{minute:02d}",
            f"晚上{rng.randint(8, 11)}点",
            f"凌晨{CHINESE[rng.randint(1, 5)]}点",
            f"下午{rng.randint(1, 5)}点半",
        )
    )


def count(rng: random.Random) -> str:
    """How often they called."""
    return rng.choice(
        (
            f"{rng.randint(2, 90)}次",
            f"{rng.randint(20, 200)}多个电话",
            "三十多次",
            "上百个电话",
            f"{rng.randint(3, 15)}个号码",
        )
    )


def hotline(rng: random.Random) -> str:
    """A regulator's or the police's public number (never personal)."""
    return rng.choice(("12378", "12315", "12363", "一二三七八", "110", "12345"))


PERSONAL: dict[str, Callable[[random.Random], Planted]] = {
    "mobile": mobile,
    "landline": landline,
    "id_number": id_number,
    "address": address,
    "plate": plate,
    "person": person,
}
SPARING: dict[str, Callable[[random.Random], str]] = {
    "amount": amount,
    "day": day,
    "clock": clock,
    "count": count,
    "hotline": hotline,
    "platform": lambda rng: rng.choice(PLATFORMS),
}
SENTENCES = (
    "催收的人在群里发了我的号码{mobile}，说我是老赖。",
    "他让我记下他的电话{mobile}，有事找他。",
    "对方换了个号{mobile}又打过来，一天打了{count}。",
    "我男朋友的手机{mobile}也被打爆了。",
    "他们查到我老家的座机{landline}，天天打给我妈。",
    "短信里说已经把我的身份证号{id_number}报给了法院。",
    "他们把我的身份证{id_number}拍照发到了我们家族群。",
    "他们说知道我住在{address}，要上门来找我。",
    "昨天有人到{address}门口贴了大字报。",
    "我把新地址{address}告诉了平台，结果催收的人也知道了。",
    "我爸妈住在{address}，催收的人也去了。",
    "一辆车牌是{plate}的车在我家楼下停了一整晚。",
    "他们开着{plate}跟了我一路，我拍了照片。",
    "上门的两个人开的是{plate}，就是{platform}的外包公司。",
    "{person}在电话里骂我，还说认识我领导。",
    "催收员{person}说今天不还就让我好看。",
    "后来又换了个叫{person}的人，态度更恶劣。",
    "有个自称{person}的人加了我同事微信。",
    "我同事{person}也接到了电话，被问了我的住址。",
    "他们让{person}给我打电话，说是最后一次机会。",
    "我在{platform}借了{amount}，{day}到期，逾期了{count}。",
    "{day}{clock}开始，他们一共打了{count}。",
    "我打过{hotline}投诉，也打了{hotline}，都说会转交。",
    "{platform}的客服说利息是{amount}，可我已经还了{amount}。",
    "我{day}已经把{amount}还给了{platform}。",
    "{clock}还在打，我报警打了{hotline}。",
    "我在{platform}和{platform}都借过钱，现在一共欠{amount}。",
)
#: Sentences that carry the complaint's own values, in another form than the consumer typed on the form.
OWN_SENTENCES = (
    "我叫{own_name}，这是我的亲身经历。",
    "他们在群里直接喊{own_name}的名字，说{own_name}欠钱不还。",
    "我的电话{own_phone}被他们到处发。",
    "他们用我的号码{own_phone}注册了别的平台。",
    "借款编号{own_reference}，他们说这笔已经转给了第三方。",
    "合同号是{own_reference}，利息算得完全不对。",
    "他们给我的邮箱{own_email}发了律师函。",
    "打电话的是{own_collector}，每次都骂得很难听。",
    "{own_collector}说认识我家里人。",
)


def own_values(rng: random.Random) -> dict[str, str]:
    """What the consumer typed into the complaint form (contact name, phone, e-mail, loan reference, collector)."""
    surname = rng.choice(SURNAMES)
    given = rng.choice(GIVEN_TWO)
    collector = rng.choice(SURNAMES) + rng.choice((rng.choice(GIVEN_ONE), rng.choice(GIVEN_TWO)))
    letters = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2))
    number = "".join(rng.choice("0123456789") for _ in range(10))
    return {
        "contact_name": surname + given,
        "contact_phone": rng.choice(("", "+86 ")) + mobile_digits(rng),
        "contact_email": f"user{rng.randint(100, 999)}@example.test",
        "loan_reference": f"{letters}{number[:4]}-{number[4:]}",
        "collector_name": collector,
    }


def own_form(slot: str, values: dict[str, str], rng: random.Random) -> Planted:
    """One of the complaint's own values, written in another form than on the form."""
    if slot == "own_name":
        name = values["contact_name"]
        form = rng.choice(("whole", "spaced", "given"))
        return "name", {"whole": name, "spaced": " ".join(name), "given": name[1:]}[form], "own_" + form
    if slot == "own_phone":
        digits = values["contact_phone"].replace("+86 ", "")
        text, form = write_number(digits, rng)
        if rng.random() < 0.3:
            text, form = f"{digits[:3]}，然后{digits[3:7]}，{digits[7:]}", "split_by_words"
        return "mobile", text, "own_" + form
    if slot == "own_reference":
        reference = values["loan_reference"]
        form = rng.choice(("as_typed", "spaced", "lower", "no_dash"))
        spaced = reference[:2] + " " + reference[2:6] + " " + reference[7:]
        text = {
            "as_typed": reference,
            "spaced": spaced,
            "lower": reference.lower(),
            "no_dash": reference.replace("-", ""),
        }[form]
        return "loan_reference", text, "own_" + form
    if slot == "own_email":
        return "email", values["contact_email"].upper() if rng.random() < 0.5 else values["contact_email"], "own_email"
    return "name", values["collector_name"], "own_collector"


def narrative(rng: random.Random) -> dict[str, object]:
    """One narrative of four to seven sentences, with its planted details, spared tokens and own values."""
    values = own_values(rng)
    chosen = rng.sample(SENTENCES, rng.randint(3, 5)) + rng.sample(OWN_SENTENCES, rng.randint(1, 2))
    rng.shuffle(chosen)
    text = ""
    details: list[dict[str, object]] = []
    sparing: list[dict[str, object]] = []
    for template in chosen:
        repeated: dict[str, Planted] = {}
        for piece in re.split(r"(\{\w+\})", template):
            slot = piece[1:-1] if piece.startswith("{") else None
            if slot is None:
                text += piece
                continue
            if slot in PERSONAL or slot.startswith("own_"):
                if slot not in repeated or not slot.startswith("own_"):
                    repeated[slot] = PERSONAL[slot](rng) if slot in PERSONAL else own_form(slot, values, rng)
                kind, value, form = repeated[slot]
                details.append({"kind": kind, "form": form, "text": value, "start": len(text)})
            else:
                value = SPARING[slot](rng)
                sparing.append({"kind": slot, "text": value, "start": len(text)})
            text += value
    for item in (*details, *sparing):
        start = int(str(item["start"]))
        assert text[start : start + len(str(item["text"]))] == item["text"]
    return {"language": "zh_Hans", "text": text, "details": details, "sparing": sparing, "private": values}


def main() -> None:
    """Write the corpus file (or the path given as the first argument), one narrative a line."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    rng = random.Random(SEED)
    rows = [narrative(rng) for _ in range(NARRATIVES)]
    with out.open("w", encoding="utf-8") as lines:
        for number, row in enumerate(rows, start=1):
            lines.write(json.dumps({"id": number, **row}, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} narratives to {out}")


if __name__ == "__main__":
    main()
