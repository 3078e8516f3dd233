"""Support-style training sentences written for this project (original writing, released with the project).

Templates x fillers, expanded deterministically. Kept separate in style and wording from the evaluation set in
tests/fixtures/support-sentiment.csv (which was written first and is never used for training).
"""
import itertools
import random

THINGS = ["the app", "the dashboard", "the export", "the report", "the integration", "the api", "sync",
          "the mobile app", "login", "search", "the invoice page", "the admin console", "notifications",
          "the connector", "single sign-on", "the billing page", "the importer", "the scheduler"]
WAITS = ["20 minutes", "an hour", "two hours", "three days", "a week", "two weeks", "10 days", "45 minutes"]
PEOPLE = ["nobody", "no one", "not a single person", "your team", "support", "the agent"]

NEG = [
    "{thing} keeps crashing",
    "{thing} keeps failing since the last release",
    "{thing} is down again",
    "{thing} has been down all day",
    "{thing} stopped working after the update",
    "{thing} times out every time we try",
    "{thing} is broken and we cannot work",
    "{thing} is extremely slow today",
    "{thing} throws an error when we open it",
    "{thing} lost our data",
    "we cannot use {thing} at all",
    "{thing} is not loading for any of our users",
    "please cancel our subscription, {thing} keeps crashing",
    "please cancel our account",
    "we want to cancel our contract",
    "we will not renew if this continues",
    "we are moving to another vendor",
    "we are looking at other vendors",
    "we are evaluating alternatives",
    "on hold for {wait} and {person} answered",
    "waited {wait} and {person} got back to us",
    "still waiting for a reply after {wait}",
    "no response for {wait}",
    "{person} replied to my ticket in {wait}",
    "i have been waiting {wait} for a fix",
    "this is the third time i report this",
    "this is the fourth ticket about the same problem",
    "same issue again, nothing has changed",
    "still not fixed",
    "it is still broken",
    "this is still not resolved",
    "we were charged twice",
    "we were billed for users we removed",
    "the invoice is wrong again",
    "you charged us the wrong amount",
    "my ticket was closed without an answer",
    "the ticket was closed but the problem is still there",
    "nobody called me back",
    "i asked for a callback and never got one",
    "we are escalating this to our executives",
    "our lawyers will be in touch",
    "this is unacceptable",
    "this is a disaster for our team",
    "very disappointed with the service",
    "extremely frustrated with support",
    "terrible experience with your support",
    "the worst release so far",
    "every update breaks something",
    "we lost a day of work because of this outage",
    "our customers are complaining because {thing} is down",
    "data is missing after the migration",
    "the numbers in the report are wrong",
    "users are locked out of their accounts",
    "we keep getting error 500",
    "the fix did not work",
    "your workaround does not work",
    "why is this taking so long",
    "why has nobody responded",
    "we pay a lot and get nothing",
    "not worth the money",
    "we regret buying this",
    "promised a fix last month and nothing happened",
    "we need this fixed today or we walk",
    "urgent: production is down",
    "asap please, we are blocked",
    "completely useless update",
    "the new version is much worse",
    "support keeps sending the same canned reply",
    "i had to explain the problem five times",
    "nothing works since yesterday",
]

POS = [
    "{thing} works perfectly now",
    "{thing} is working great",
    "{thing} is much faster after the update",
    "{thing} is back up, thanks",
    "thanks, {thing} is fixed",
    "the fix for {thing} worked",
    "we love the new {thingbare}",
    "the new {thingbare} is excellent",
    "thank you for the quick reply",
    "thanks for the fast response",
    "thank you so much for your help",
    "thanks a lot, problem solved",
    "really appreciate your help",
    "much appreciated",
    "great support as always",
    "excellent service",
    "amazing support team",
    "the agent was very helpful",
    "your team was super helpful",
    "resolved within {wait}, impressive",
    "answered within minutes, great job",
    "everything works as expected now",
    "all good now, thank you",
    "issue resolved, you can close the ticket",
    "happy with the outcome",
    "we are very happy with the product",
    "our team loves it",
    "the training was very useful",
    "the onboarding went smoothly",
    "the migration went really well",
    "we are renewing for another year",
    "we signed the renewal",
    "we want to add more licenses",
    "we are expanding to more teams",
    "great release, well done",
    "big improvement, thank you",
    "this saves us a lot of time",
    "very reliable so far",
    "smooth experience overall",
    "perfect, exactly what we needed",
    "wonderful, thanks for following up",
    "kind and patient support",
    "thanks for going the extra mile",
    "your engineers did a great job",
    "we recommend you to other teams",
    "very pleased with the results",
    "fantastic job on the new feature",
    "thank you, that solved it",
    "works like a dream",
    "glad it is sorted, thanks",
]


def expand(templates, n_per, rng):
    out = []
    for t in templates:
        combos = []
        for thing, wait, person in itertools.product(THINGS, WAITS, PEOPLE):
            combos.append(t.format(thing=thing, thingbare=thing.replace("the ", ""), wait=wait, person=person))
        combos = sorted(set(combos))
        rng.shuffle(combos)
        out.extend(combos[:n_per])
    return out


def support_sentences(seed=13, n_per=8):
    rng = random.Random(seed)
    neg = expand(NEG, n_per, rng)
    pos = expand(POS, n_per, rng)
    def cap(s):
        r = rng.random()
        s = s[0].upper() + s[1:] if r < 0.6 else s
        return s + rng.choice([".", ".", "!", "", "."])
    return [(cap(s), 0) for s in neg] + [(cap(s), 1) for s in pos]
