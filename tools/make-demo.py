#!/usr/bin/env python3
"""Regenerate fixtures/demo/: a small, realistic, entirely fictitious dataset.

Names are common first names and surnames; e-mail domains are reserved or
fictitious (example.*, exemple.fr); card numbers are the issuers' published
test numbers; IBANs are built with valid check digits over made-up account
numbers. Deterministic: same output every run (fixed seed, fixed mtimes).

usage: tools/make-demo.py [OUTDIR]   (default fixtures/demo)
"""
import gzip, io, json, os, random, sys, tarfile

OUT = sys.argv[1] if len(sys.argv) > 1 else "fixtures/demo"
rng = random.Random(20261123)

FIRST = ["Jean", "Marie", "Camille", "Lucas", "Chloé", "Hugo", "Léa", "Thomas", "Inès", "Nathan",
         "Emma", "Louis", "Sarah", "Gabriel", "Manon", "Olivia", "James", "Emily", "Oliver", "Amelia"]
LAST = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Garnier", "Faure",
        "Rousseau", "Blanchard", "Smith", "Taylor", "Walker", "Hughes", "Clarke", "Morgan"]
CITIES = ["Lyon", "Nantes", "Lille", "Bordeaux", "Rennes", "Grenoble", "Leeds", "Bristol"]
DOMAINS = ["exemple.fr", "example.com", "mail.example.org", "courriel.exemple.fr"]
CARDS = ["4012888888881881", "5555555555554444", "4111111111111111", "378282246310005",
         "6011111111111117", "3530111333300000", "5105105105105100"]


def ascii_fold(s):
    return (s.replace("é", "e").replace("è", "e").replace("ë", "e").replace("É", "E")
             .replace("ï", "i").replace("ô", "o"))


def iban(cc, bban):
    digits = "".join(str(int(c, 36)) for c in bban + cc + "00")
    check = 98 - int(digits) % 97
    return "%s%02d%s" % (cc, check, bban)


def grouped(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


def fr_iban():
    bban = "30006" + "%05d" % rng.randrange(100000) + "%011d" % rng.randrange(10**11) + \
        "%02d" % rng.randrange(100)
    return iban("FR", bban)


def person(i):
    f, l = rng.choice(FIRST), rng.choice(LAST)
    local = "%s.%s" % (ascii_fold(f).lower(), ascii_fold(l).lower())
    if rng.random() < 0.3:
        local += str(rng.randrange(10, 99))
    return f, l, "%s@%s" % (local, rng.choice(DOMAINS))


def phone():
    return "+33 6 %02d %02d %02d %02d" % tuple(rng.randrange(100) for _ in range(4))


os.makedirs(OUT, exist_ok=True)

# 1. customers.csv: a CRM export (semicolon, French headers, as French tools write them)
rows = ["id;prenom;nom;courriel;telephone;iban;ville;date_naissance;commentaire"]
for i in range(1, 41):
    f, l, mail = person(i)
    note = rng.choice(["", "", "client fidèle", "relance envoyée", "adresse à vérifier",
                       "préfère être contacté par courriel"])
    rows.append(";".join([str(1000 + i), f, l, mail, phone(), grouped(fr_iban()),
                          rng.choice(CITIES), "%02d/%02d/%d" % (rng.randrange(1, 29),
                          rng.randrange(1, 13), rng.randrange(1950, 2004)), note]))
with open(os.path.join(OUT, "customers.csv"), "w", encoding="utf-8", newline="") as fh:
    fh.write("\r\n".join(rows) + "\r\n")

# 2. tickets.jsonl: support tickets with free text (PII sparse, nested)
SUBJECTS = ["Refund request", "Login problem", "Delivery delayed", "Question sur ma facture",
            "Changement d'adresse", "Account closure"]
with open(os.path.join(OUT, "tickets.jsonl"), "w", encoding="utf-8") as fh:
    for i in range(1, 31):
        f, l, mail = person(i)
        body = rng.choice([
            "Hello, I still have not received my parcel. Thanks.",
            "Bonjour, je n'arrive plus à me connecter depuis hier.",
            "Please refund the order, my card %s was charged twice." % rng.choice(CARDS),
            "Merci de me répondre à %s plutôt qu'à mon adresse pro." % person(0)[2],
            "Pouvez-vous faire le virement sur le compte %s ?" % grouped(fr_iban()),
            "The app crashes when I open the settings page.",
            "Rien à signaler, merci pour votre aide !",
        ])
        rec = {"ticket": 5000 + i, "subject": rng.choice(SUBJECTS),
               "author": {"name": "%s %s" % (f, l), "contact": {"email": mail}},
               "client_ip": "%d.%d.%d.%d" % (rng.randrange(2, 223), rng.randrange(256),
                                             rng.randrange(256), rng.randrange(1, 255)),
               "priority": rng.choice([1, 2, 3]), "resolved": rng.random() < 0.5,
               "messages": [{"from": "customer", "body": body},
                            {"from": "agent", "body": "Merci, nous regardons cela."}]}
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

# 3. archive.tar.gz: a payments export and a web server log, as shipped by a vendor
def add(tar, name, data):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mtime = 1700000000
    ti.uname = ti.gname = "demo"
    tar.addfile(ti, io.BytesIO(data))


pay = ["date,amount_eur,card_number,status"]
for i in range(25):
    pay.append("2026-03-%02d,%d.%02d,%s,%s" % (rng.randrange(1, 29), rng.randrange(5, 300),
               rng.randrange(100), rng.choice(CARDS), rng.choice(["ok", "ok", "refused"])))
log = []
for i in range(40):
    ip = "%d.%d.%d.%d" % (rng.randrange(2, 223), rng.randrange(256), rng.randrange(256),
                          rng.randrange(1, 255))
    log.append('%s - - [12/Mar/2026:10:%02d:%02d +0100] "GET /account HTTP/1.1" 200 512'
               % (ip, rng.randrange(60), rng.randrange(60)))
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
    add(tar, "exports/payments.csv", ("\n".join(pay) + "\n").encode())
    add(tar, "logs/access.log", ("\n".join(log) + "\n").encode())
with open(os.path.join(OUT, "archive.tar.gz"), "wb") as fh:
    with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw.getvalue())

# 4. notes.txt: a clean text file (no personal data)
with open(os.path.join(OUT, "notes.txt"), "w", encoding="utf-8") as fh:
    fh.write("Dataset assembled for the churn model, March 2026.\n"
             "Exports come from the CRM (customers.csv), the helpdesk (tickets.jsonl)\n"
             "and the payment provider (archive.tar.gz).\n")
