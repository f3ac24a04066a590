#!/usr/bin/env python3
# Copied from the project's shared bench notes (shared/bench/gen_corpus.py, unchanged below this header) so the
# fault test and bench/scale.sh can make the same synthetic catalogue in a fresh clone.
"""Synthetic catalog-import workload for measuring the auditor against peers.

Writes OUT/listings.ndjson (one listing a line, the feed schema of issue "feed
format"), OUT/pages/<id>.html (the detail page each listing names) and
OUT/truth.ndjson (which rule families each listing violates, by construction).

usage: gen_corpus.py OUT N [--seed S] [--page-kb K]
"""
import json, os, random, sys

CATS = [
    ("食品/休闲零食", "food"), ("食品/粮油调味", "food"), ("生鲜/水果", "fresh"),
    ("保健食品/营养补充", "health"), ("美妆/护肤", "beauty"), ("母婴/奶粉", "food"),
    ("家居/日用", "general"), ("数码/配件", "general"), ("服饰/女装", "general"),
    ("跨境/保健食品", "health_xb"), ("跨境/美妆", "beauty_xb"), ("定制/礼品", "custom"),
]
NOUNS = ["坚果礼盒", "有机大米", "赣南脐橙", "鱼油软胶囊", "玻尿酸面霜", "婴儿配方奶粉",
         "收纳箱", "快充数据线", "真丝连衣裙", "维生素C片", "精华液", "定制刻字保温杯",
         "手工牛轧糖", "冷榨橄榄油", "蛋白粉", "云南普洱茶", "东北黑木耳", "蓝莓原浆"]
ADJ = ["新鲜", "精选", "家庭装", "高端", "限量", "正品", "原装进口", "产地直发", "爆款", "热销"]
FILLER = ("本店坚持产地直供，层层筛选，只为把好货送到您家。包装采用加厚材质，运输途中更安心。"
          "收到商品后请尽快食用或使用，如有任何疑问请联系在线客服，我们将第一时间为您处理。"
          "产品参数以实物为准，图片仅供参考。支持社区团长自提，也可选择配送到家。")
ABSOLUTE = ["全网最低价", "国家级品质", "销量第一", "最佳选择", "顶级工艺", "史上最强", "万能神器", "绝对有效"]
SHARING = ["分享到3个微信群即可领取优惠券", "转发朋友圈集满20个赞免费送", "邀请5位好友助力解锁1元购",
           "关注公众号并分享后才能参与抽奖", "分享给好友后查看隐藏价格"]
CURE = ["可治疗高血压", "根治失眠", "抗癌防癌", "药到病除"]
NO_RETURN = ["售出概不退换", "特价商品不退不换"]
PROV = ["11", "31", "44", "51", "53", "33", "32", "50"]
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(rng, valid=True):
    body = rng.choice("915") + "1" + rng.choice(PROV) + "0000"
    body += "".join(rng.choice(USCC_CHARS) for _ in range(10))
    body = body[:17]
    s = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_W))
    check = USCC_CHARS[(31 - s % 31) % 31]
    if not valid:
        check = USCC_CHARS[(USCC_CHARS.index(check) + 1) % 31]
    return body + check


def sc_code(rng):
    return "SC1" + rng.choice(["01", "03", "07", "14", "28"]) + rng.choice(PROV) + "%02d%02d%04d%d" % (
        rng.randint(1, 20), rng.randint(1, 30), rng.randint(1, 9999), rng.randint(0, 9))


def para(rng, words):
    out, n = [], 0
    while n < words:
        s = FILLER[rng.randrange(0, len(FILLER) - 40):][:rng.randint(20, 60)]
        out.append(s)
        n += len(s)
    return "".join(out)


def make(rng, i, page_kb):
    cat, kind = rng.choice(CATS)
    name = rng.choice(ADJ) + rng.choice(NOUNS)
    price = round(rng.uniform(9.9, 399), 1)
    orig = round(price * rng.uniform(1.1, 2.5), 1)
    viol = set()
    lic = uscc(rng)
    if rng.random() < 0.04:
        lic, _ = uscc(rng, valid=False), viol.add("license")
    show_lic = rng.random() > 0.05
    if not show_lic:
        viol.add("license")
    listing = {"id": "L%07d" % i, "title": name, "category": cat, "price": price,
               "original_price": orig, "seller": {"name": "某某%s商贸有限公司" % rng.choice(["鲜果", "优选", "好物"]),
                                                  "license_no": lic if show_lic else None},
               "detail_page": "pages/L%07d.html" % i}
    body = []
    title = name
    if rng.random() < 0.10:
        w = rng.choice(ABSOLUTE); title = w + " " + name; viol.add("ad_absolute")
    listing["title"] = title
    if rng.random() < 0.06:
        body.append(rng.choice(SHARING)); viol.add("induced_sharing")
    page_price = price
    if rng.random() < 0.05:
        page_price = round(price * rng.uniform(1.05, 1.4), 1); viol.add("price")
    if rng.random() < 0.03:
        listing["original_price"] = round(price * 0.9, 1); viol.add("price")
    if rng.random() < 0.25:
        listing["group_tiers"] = [{"min_people": 3, "price": round(price * 0.9, 1)},
                                  {"min_people": 10, "price": round(price * 0.8, 1)}]
        if rng.random() < 0.1:
            listing["group_tiers"][1]["price"] = round(price * 0.95, 1); viol.add("price")
    if kind in ("food", "health", "health_xb"):
        if rng.random() < 0.93:
            listing["sc_code"] = sc_code(rng)
        else:
            viol.add("food_sc")
    if kind in ("health", "health_xb"):
        if rng.random() < 0.92:
            listing["health_food_approval"] = "国食健注G20%06d" % rng.randint(100000, 240000)
            body.append("保健食品不是药物，不能代替药物治疗疾病")
        else:
            viol.add("blue_hat")
        if rng.random() < 0.08:
            body.append(rng.choice(CURE)); viol.add("blue_hat")
    if kind.endswith("_xb"):
        listing["cross_border"] = True
        if rng.random() < 0.9:
            body.append("中文标签：品名 %s；原产国：澳大利亚；生产商：Example Pty Ltd；保质期：24个月" % name)
            body.append("风险告知：本商品为跨境电商零售进口商品，可能与境内商品标准存在差异")
        else:
            viol.add("cross_border")
    if kind == "custom" or kind == "fresh":
        listing["return_policy"] = "不支持7天无理由退货"
        body.append("本商品属于%s，不适用七日无理由退货" % ("定制商品" if kind == "custom" else "鲜活易腐商品"))
    elif rng.random() < 0.05:
        body.append(rng.choice(NO_RETURN)); viol.add("return_7day")
        listing["return_policy"] = None
    else:
        listing["return_policy"] = "支持7天无理由退货"
        body.append("支持7天无理由退货")
    rng.shuffle(body)
    filler_chars = max(200, page_kb * 1024 // 3 - 2000)
    parts = []
    for b in body:
        parts.append("<p>%s</p>" % para(rng, filler_chars // (len(body) + 3)))
        parts.append("<p class=\"notice\">%s</p>" % b)
    parts.append("<p>%s</p>" % para(rng, filler_chars // (len(body) + 3)))
    imgs = "".join('<img src="https://img.example.cn/%s/%d.jpg" alt="%s 细节图%d">' % (listing["id"], k, name, k)
                   for k in range(rng.randint(3, 12)))
    if listing.get("health_food_approval"):
        imgs += '<img src="https://img.example.cn/bluehat.png" alt="保健食品标志">'
    lic_block = ("<div class=\"shop-license\">营业执照：统一社会信用代码 %s</div>" % lic) if show_lic else ""
    sc_block = ("<li>食品生产许可证编号：%s</li>" % listing["sc_code"]) if listing.get("sc_code") else ""
    hf_block = ("<li>保健食品批准文号：%s</li>" % listing["health_food_approval"]) if listing.get("health_food_approval") else ""
    tiers = ""
    if listing.get("group_tiers"):
        tiers = "<ul class=\"tiers\">" + "".join("<li>%d人团 ¥%.1f</li>" % (t["min_people"], t["price"]) for t in listing["group_tiers"]) + "</ul>"
    ld = {"@context": "https://schema.org", "@type": "Product", "name": name,
          "offers": {"@type": "Offer", "priceCurrency": "CNY", "price": "%.2f" % page_price}}
    html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 小程序商城</title>
<style>.price{{color:#e4393c;font-size:24px}} .notice{{color:#666}}</style>
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<script>window.__STATE__={{"sku":"{listing['id']}","ts":1700000000}};</script></head>
<body><div class="header"><h1>{title}</h1></div>
<div class="price-box"><span class="price">¥{page_price:.1f}</span> <del class="original">¥{listing['original_price']:.1f}</del></div>
{tiers}
<table class="params"><tr><th>品名</th><td>{name}</td></tr><tr><th>类目</th><td>{cat}</td></tr></table>
<ul class="certs">{sc_block}{hf_block}</ul>
<div class="detail">{''.join(parts)}{imgs}</div>
{lic_block}
<div class="footer">客服热线 400-000-0000</div></body></html>
"""
    return listing, html, sorted(viol)


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    out, n = args[0], int(args[1])
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 7
    page_kb = int(args[args.index("--page-kb") + 1]) if "--page-kb" in args else 40
    rng = random.Random(seed)
    os.makedirs(os.path.join(out, "pages"), exist_ok=True)
    with open(os.path.join(out, "listings.ndjson"), "w") as lf, open(os.path.join(out, "truth.ndjson"), "w") as tf:
        for i in range(n):
            listing, html, viol = make(rng, i, page_kb)
            lf.write(json.dumps(listing, ensure_ascii=False) + "\n")
            tf.write(json.dumps({"id": listing["id"], "violations": viol}, ensure_ascii=False) + "\n")
            with open(os.path.join(out, listing["detail_page"]), "w") as pf:
                pf.write(html)


if __name__ == "__main__":
    main()
