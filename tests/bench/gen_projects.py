#!/usr/bin/python3
"""Write N realistic IDF project records as CSV, deterministically.

    gen_projects.py N OUT.csv [--seed S]

The same N and seed always give the same bytes (Python's random with a
fixed seed, no clock, no hash order).  Every record is valid input for
iomreport, so a benchmark measures rendering, not rejection.  Rows are
streamed to the file, so a million projects (about 1.4 GB) take constant
memory.
"""

import argparse
import csv
import random
import sys

HEADER = ["Projects ID", "Title", "Start Date", "End Date", "Project Status",
          "Project Type", "Budget Amount (USD)", "Coverage", "Year",
          "IDF Region", "Benefiting Member States", "Description",
          "Prima ID"]

REGIONS = ["Africa", "Asia and Oceania", "Europe",
           "Latin America and the Caribbean", "Global"]
REGION_WEIGHTS = [30, 25, 15, 22, 8]

TYPES = ["Migration Policy Activities", "Labour Migration",
         "Community and Economic Development", "Immigration and Borders",
         "Facilitated Migration Services",
         "Health Promotion and Assist for Migrants",
         "Protection and Assistance to Vulnerable Migrants",
         "Return and Reintegration Assistance for Migrants and Governments",
         "Emergency Response and Assistance to Displaced Populations",
         "TCMMCB"]
TYPE_WEIGHTS = [20, 12, 10, 14, 6, 8, 10, 8, 6, 6]
# Two-letter prefixes of the newer ID scheme, one per type.
TYPE_CODES = ["MP", "LM", "CE", "IB", "FM", "HP", "CT", "RR", "ER", "TC"]

STATES = {
    "Africa": ["Angola", "Benin", "Botswana", "Burkina Faso", "Burundi",
               "Cabo Verde", "Cameroon", "Chad", "Côte d'Ivoire",
               "Democratic Republic of the Congo", "Djibouti", "Egypt",
               "Eswatini", "Ethiopia", "Gabon", "Gambia", "Ghana", "Guinea",
               "Guinea-Bissau", "Kenya", "Lesotho", "Liberia", "Madagascar",
               "Malawi", "Mali", "Mauritania", "Mauritius", "Morocco",
               "Mozambique", "Namibia", "Niger", "Nigeria", "Rwanda",
               "São Tomé and Príncipe", "Senegal", "Sierra Leone",
               "Somalia", "South Africa", "South Sudan", "Sudan", "Togo",
               "Tunisia", "Uganda", "United Republic of Tanzania",
               "Zambia", "Zimbabwe"],
    "Asia and Oceania": ["Afghanistan", "Bangladesh", "Cambodia", "Fiji",
                         "Federated States of Micronesia", "India",
                         "Indonesia", "Iran (Islamic Republic of)",
                         "Kazakhstan", "Kyrgyzstan",
                         "Lao People's Democratic Republic", "Marshall Islands",
                         "Mongolia", "Myanmar", "Nepal", "Pakistan",
                         "Papua New Guinea", "Philippines", "Republic of Korea",
                         "Samoa", "Solomon Islands", "Sri Lanka", "Tajikistan",
                         "Thailand", "Timor-Leste", "Tonga", "Türkiye",
                         "Uzbekistan", "Vanuatu", "Viet Nam", "Yemen"],
    "Europe": ["Albania", "Armenia", "Azerbaijan", "Belarus",
               "Bosnia and Herzegovina", "Bulgaria", "Georgia", "Kosovo",
               "Montenegro", "North Macedonia", "Republic of Moldova",
               "Romania", "Serbia", "Türkiye", "Ukraine"],
    "Latin America and the Caribbean": [
        "Antigua and Barbuda", "Argentina", "Bahamas", "Barbados", "Belize",
        "Bolivia (Plurinational State of)", "Brazil", "Chile", "Colombia",
        "Costa Rica", "Curaçao", "Dominica", "Dominican Republic", "Ecuador",
        "El Salvador", "Grenada", "Guatemala", "Guyana", "Haiti", "Honduras",
        "Jamaica", "Mexico", "Nicaragua", "Panama", "Paraguay", "Peru",
        "Saint Kitts and Nevis", "Saint Lucia",
        "Saint Vincent and the Grenadines", "Suriname",
        "Trinidad and Tobago", "Uruguay",
        "Venezuela (Bolivarian Republic of)"],
}
STATES["Global"] = sorted({s for v in STATES.values() for s in v})

SUBREGIONS = {
    "Africa": ["Sahel", "Great Lakes", "Horn of Africa", "Southern African",
               "West African"],
    "Asia and Oceania": ["Mekong", "Pacific", "South Asian",
                         "Central Asian"],
    "Europe": ["Western Balkans", "South Caucasus", "Black Sea"],
    "Latin America and the Caribbean": ["Caribbean", "Andean",
                                        "Central American", "Southern Cone"],
    "Global": ["Inter-regional", "Global Consultation"],
}

STATUSES = ["Completed"] * 8 + ["Active", "Closed"]
COVERAGES = {1: "National", 2: "Regional"}

TITLE_TOPICS = [
    "Migration Policy Seminar", "Capacity Building in Migration Management",
    "Labour Migration Information Centres", "Border Management Assessment",
    "Counter-Trafficking Training", "Diaspora Engagement Strategy",
    "Remittance Management Pilot", "Migrant Health Assessment",
    "Return and Reintegration Support", "Migration Data Harmonization",
    "Integrated Border Management Review",
    "Community Stabilization Programme",
    "Technical Cooperation on Migration Legislation",
    "Emergency Preparedness for Displaced Populations",
    "Consular Services Modernization", "Migration Profile Development",
    "Regional Consultative Process Support",
    "Protection of Unaccompanied Migrant Children",
    "Facilitated Migration Services Review",
    "Migration and Climate Change Study"]
TITLE_FOR = ["for", "in", "for the Governments of", "in Support of"]
TITLE_TAILS = ["Phase II", "Phase III", "Pilot", "Follow-up",
               "Feasibility Study", "National Action Plan",
               "Training of Trainers", "Needs Assessment"]

SUBJECTS = ["The project", "IOM", "The Government", "The Ministry of Interior",
            "The national migration authority", "The steering committee",
            "Project staff", "The regional working group",
            "The Ministry of Labour", "Local partners"]
VERBS = ["supported", "strengthened", "reviewed", "assessed", "organized",
         "facilitated", "helped to draft", "developed", "coordinated",
         "evaluated", "financed", "established"]
OBJECTS = ["the national migration policy framework",
           "a two-day workshop on border management",
           "training for 45 immigration officials",
           "the collection and analysis of migration data",
           "a referral mechanism for victims of trafficking",
           "the legislative review of the immigration act",
           "an information campaign on safe labour migration",
           "the establishment of a migrant resource centre",
           "dialogue between countries of origin and destination",
           "pre-departure orientation for labour migrants",
           "the reintegration of 120 returning migrants",
           "a health assessment of migrants in transit",
           "standard operating procedures for border posts",
           "a survey of remittance flows and costs",
           "the inter-ministerial coordination committee"]
TAILS = ["in close cooperation with the beneficiary governments",
         "as a follow-up to the regional meeting held in 2000",
         "with the participation of civil society organizations",
         "in line with the recommendations of the needs assessment",
         "under the aegis of the regional consultative process",
         "with technical support from IOM headquarters",
         "building on the results of the first phase",
         "in order to translate the findings into practical work plans"]
QUOTED = ["“Migration for Development”", "“Safe Migration”",
          "“Know Before You Go”", "“Better Borders”",
          "“Partners in Return”"]
LIST_ITEMS = ["a baseline study of current practices",
              "a review of the legal framework",
              "training modules for front-line officials",
              "a study tour for senior officials",
              "a regional workshop and its report",
              "a database of migrant workers abroad",
              "the government’s own action plan",
              "recommendations for the next phase",
              "a handbook for consular staff",
              "monitoring and evaluation tools"]


def sentence(rnd):
    """One plausible sentence, sometimes with a typographic quote or dash."""
    s = "%s %s %s %s." % (rnd.choice(SUBJECTS), rnd.choice(VERBS),
                          rnd.choice(OBJECTS), rnd.choice(TAILS))
    r = rnd.random()
    if r < 0.15:
        s = s[:-1] + " – the first of its kind in the region."
    elif r < 0.27:
        s = s[:-1] + ", under the campaign title %s." % rnd.choice(QUOTED)
    elif r < 0.35:
        s = s[:-1] + ", which the beneficiaries’ officials welcomed."
    return s


def description(rnd, pool):
    """300 to 2,000 characters of paragraphs, some with a numbered list."""
    target = rnd.randint(300, 2000)
    lines = []
    size = 0
    para = []
    while size < target:
        if para and rnd.random() < 0.12:
            lines.append(" ".join(para))
            para = []
            if rnd.random() < 0.35:
                lines.append("The main activities were:")
                style = rnd.choice(["%d.", "%d)", "abc"])
                for k in range(rnd.randint(2, 5)):
                    mark = "abcde"[k] + ")" if style == "abc" else style % (k + 1)
                    item = "%s %s;" % (mark, rnd.choice(LIST_ITEMS))
                    lines.append(item)
                    size += len(item) + 1
            continue
        s = rnd.choice(pool)
        para.append(s)
        size += len(s) + 1
    if para:
        lines.append(" ".join(para))
    text = "\n".join(lines)
    if len(text) > 2000:
        cut = text.rfind(" ", 0, 1999)
        text = text[:cut].rstrip(" ;,") + "."
    return text


def title(rnd, region, states):
    """A title of 40 to 120 characters."""
    topic = rnd.choice(TITLE_TOPICS)
    where = states[0] if len(states) == 1 else (
        "the %s Region" % rnd.choice(SUBREGIONS[region]))
    t = "%s %s %s" % (topic, rnd.choice(TITLE_FOR), where)
    if rnd.random() < 0.4:
        t += ": " + rnd.choice(TITLE_TAILS)
    if len(t) < 40:
        t += " – " + rnd.choice(TITLE_TAILS)
    if len(t) > 120:
        t = t[:120].rsplit(" ", 1)[0]
    return t


def make_date(rnd, year):
    """YYYY, YYYY-MM or YYYY-MM-DD, with its sort key."""
    m = rnd.randint(1, 12)
    d = rnd.randint(1, 28)
    form = rnd.random()
    if form < 0.5:
        return str(year), (year, 0, 0)
    if form < 0.7:
        return "%04d-%02d" % (year, m), (year, m, 0)
    return "%04d-%02d-%02d" % (year, m, d), (year, m, d)


def budget(rnd):
    cents = rnd.randint(20000 * 100, 400000 * 100)
    units, rest = divmod(cents, 100)
    if rnd.random() < 0.2:
        return "{:,}.{:02d}".format(units, rest)
    return "%d.%02d" % (units, rest)


def ident(k, n, old, code=""):
    """The k-th unique ID; a multiplicative permutation hides the order."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if old:
        space = 26 * 36 * 10 * 1000
        v = (k * 7919 + 13) % space
        v, num = divmod(v, 1000)
        v, digit = divmod(v, 10)
        v, second = divmod(v, 36)
        return "%s%s%d-%03d" % (letters[v],
                                (letters + "0123456789")[second], digit,
                                num)
    width = 4 if n <= 10000 else 7
    return "%s.%0*d" % (code, width, (k * 104729 + 7) % 10 ** width)


def rows(n, seed):
    rnd = random.Random(seed)
    # A pool of sentences built once makes a million descriptions cheap
    # while keeping them varied.
    pool = [sentence(rnd) for _ in range(4000)]
    old_k = 0
    new_k = dict.fromkeys(TYPE_CODES, 0)
    country_codes = ["BW", "KE", "HT", "PH", "MD", "GT", "NP", "SN", "UA",
                     "CO", "TZ", "FJ"]
    for _ in range(n):
        old = rnd.random() < 0.45
        if rnd.random() < 0.88:
            year = rnd.randint(2001, 2005)
        else:
            year = rnd.randint(1990, 2025)
        region = rnd.choices(REGIONS, REGION_WEIGHTS)[0]
        ptype = rnd.choices(TYPES, TYPE_WEIGHTS)[0]
        if region == "Global":
            nstates = rnd.randint(5, 15)
        elif rnd.random() < 0.45:
            nstates = 1
        else:
            nstates = rnd.randint(2, 10)
        pool_states = STATES[region]
        states = rnd.sample(pool_states, min(nstates, len(pool_states)))
        coverage = "Global" if region == "Global" else \
            COVERAGES[1 if nstates == 1 else 2]
        start, skey = make_date(rnd, year - (rnd.random() < 0.1))
        if rnd.random() < 0.1:
            end = ""
        else:
            end, ekey = make_date(rnd, skey[0] + rnd.randint(0, 2))
            # Equal years compare at the coarser precision: keep it simple
            # by letting a same-year end be the bare year.
            if ekey[0] == skey[0]:
                end = str(ekey[0])
        if old:
            pid = ident(old_k, n, True)
            old_k += 1
            prima = ""
        else:
            code = TYPE_CODES[TYPES.index(ptype)]
            pid = ident(new_k[code], n, False, code)
            new_k[code] += 1
            prima = "" if rnd.random() < 0.2 else "%s%02dP%04d" % (
                rnd.choice(country_codes), year % 100, rnd.randint(1, 9999))
        yield [pid, title(rnd, region, states), start, end, rnd.choice(STATUSES),
               ptype, budget(rnd), coverage if rnd.random() < 0.95 else "",
               str(year), region,
               rnd.choice(["; ", ";", " | "]).join(states)
               if rnd.random() < 0.98 else "; ".join(states),
               description(rnd, pool), prima]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        batch = []
        for row in rows(args.n, args.seed):
            batch.append(row)
            if len(batch) == 5000:
                w.writerows(batch)
                batch.clear()
        w.writerows(batch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
