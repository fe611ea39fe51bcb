#!/usr/bin/env python3
"""Deterministic benchmark corpora for dsaudit (`make bench`, throughput notes).

  gen-corpus.py jsonl SIZE_MB OUT   sparse-PII web text: one JSON object per line
                                    ({"url","title","lang","text"}), ~3 KB of text
                                    each, one PII item per ~4.5 KB on average
  gen-corpus.py csv SIZE_MB OUT     dense-PII CSV: every row holds a name, an
                                    e-mail, a phone, an IBAN, a card number, an IP

Same seed, same bytes: runs can be compared. Values are fictitious (test card
numbers, check-digit-valid IBANs over made-up accounts, example domains).
"""
import json, random, sys

rng = random.Random(42)
WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at "
         "which but have an they you were her all she there would their we him been has when who "
         "will more no if out so said what up its about into than them can only other new some "
         "could time these two may then do first any my now such like our over man me even most "
         "made after also did many before must through back years where much your way well down "
         "should because each just those people how too little state good very make world still "
         "own see men work long get here between both life being under never day same another "
         "know while last might us great old year off come since against go came right used take "
         "three data model training corpus dataset research language text web page article news "
         "le la les des une pour dans avec est sur par plus pas qui que ont été comme mais aussi "
         "données modèle texte recherche entreprise projet équipe").split()
FIRST = ["Jean", "Marie", "Camille", "Lucas", "Chloé", "Hugo", "James", "Emily", "Oliver", "Sarah"]
LAST = ["Martin", "Bernard", "Dubois", "Moreau", "Smith", "Taylor", "Walker", "Clarke"]
CARDS = ["4012888888881881", "5555555555554444", "4111111111111111", "378282246310005"]


def iban():
    bban = "30006%05d%011d%02d" % (rng.randrange(10**5), rng.randrange(10**11), rng.randrange(100))
    digits = "".join(str(int(c, 36)) for c in bban + "FR00")
    return "FR%02d%s" % (98 - int(digits) % 97, bban)


def pii():
    k = rng.randrange(6)
    f, l = rng.choice(FIRST), rng.choice(LAST)
    if k == 0:
        return "contact %s.%s@example.org" % (f.lower().replace("é", "e"), l.lower())
    if k == 1:
        return "call +33 6 %02d %02d %02d %02d" % tuple(rng.randrange(100) for _ in range(4))
    if k == 2:
        return "IBAN %s" % " ".join((lambda s: [s[i:i + 4] for i in range(0, len(s), 4)])(iban()))
    if k == 3:
        return "card %s" % rng.choice(CARDS)
    if k == 4:
        return "from %d.%d.%d.%d" % (rng.randrange(2, 223), rng.randrange(256),
                                     rng.randrange(256), rng.randrange(1, 255))
    return "%s %s, %d rue de la Paix, 75002 Paris" % (f, l, rng.randrange(1, 99))


SENTENCES = []
for _ in range(4000):
    n = rng.randrange(8, 24)
    s = " ".join(rng.choice(WORDS) for _ in range(n))
    SENTENCES.append(s[0].upper() + s[1:] + ".")


def jsonl(size, out):
    written = 0
    i = 0
    budget = 4500
    with open(out, "w", encoding="utf-8") as fh:
        while written < size:
            parts = []
            length = 0
            target = rng.randrange(1500, 4500)
            while length < target:
                s = rng.choice(SENTENCES)
                budget -= len(s) + 1
                if budget <= 0:
                    s = s[:-1] + ", " + pii() + "."
                    budget = rng.randrange(2000, 7000)
                parts.append(s)
                length += len(s) + 1
            i += 1
            rec = {"url": "https://www.example.org/article/%d" % i,
                   "title": rng.choice(SENTENCES)[:60], "lang": rng.choice(["en", "fr"]),
                   "text": " ".join(parts)}
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            fh.write(line)
            written += len(line.encode())


def csv(size, out):
    written = 0
    with open(out, "w", encoding="utf-8") as fh:
        h = "id,first_name,last_name,email,phone,iban,card,ip,city,notes\n"
        fh.write(h)
        written += len(h)
        i = 0
        while written < size:
            i += 1
            f, l = rng.choice(FIRST), rng.choice(LAST)
            row = "%d,%s,%s,%s.%s%d@example.com,+33 6 %02d %02d %02d %02d,%s,%s,%d.%d.%d.%d,%s,\"%s\"\n" % (
                i, f, l, f.lower().replace("é", "e"), l.lower(), i % 100,
                *(rng.randrange(100) for _ in range(4)), iban(), rng.choice(CARDS),
                rng.randrange(2, 223), rng.randrange(256), rng.randrange(256),
                rng.randrange(1, 255), rng.choice(["Lyon", "Paris", "Leeds"]),
                rng.choice(SENTENCES)[:80])
            fh.write(row)
            written += len(row.encode())


if __name__ == "__main__":
    kind, mb, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    {"jsonl": jsonl, "csv": csv}[kind](int(mb * 1e6), out)
