"""A larger, multi-domain corpus of customer-service messages written for this project (original writing,
released with the project), expanded deterministically from parts.

Why: real complaints to a support desk mostly state facts ("on hold for 45 minutes", "order still not here")
with few sentiment words, and praise mostly thanks a person or a fix. Review text (UCI) teaches opinion words
but not this. The parts below cover software, deliveries, travel, telecom, banking and the support channel
itself, in the styles people use (a bare sentence, a public reply to a brand handle, an e-mail opener),
plus the mixed cases (thanks + a problem that remains is negative; a problem + a fix and thanks is positive;
sarcasm such as "great, another delay").

All brand handles are invented. Nothing here is taken from any data set.
"""
import random

BRANDS = ["@northwindhelp", "@contosocare", "@fabrikam_support", "@globexship", "@initechcloud",
          "@bluebird_air", "@zenithtel", "@acornbank", "@lumenapp_help", "@harborhome", "@tailspin_air",
          "@woodgrove_cs", "@litware", "@proseware_help", "@adatum_support", "@wingtiptoys"]
OPENERS = ["", "", "", "{brand} ", "{brand} ", "{brand} ", "hi, ", "hello team, ", "hey {brand} ",
           "dear support, ", "{brand} hi, ", "fyi ", "so ", "ok so ", "hi there, ", "{brand} hey, "]
DUR = ["20 minutes", "45 minutes", "an hour", "2 hours", "3 hours", "5 hours", "two days", "three days",
       "a week", "2 weeks", "10 days", "a month", "90 mins", "40 min", "over an hour", "6 weeks"]
DAY = ["monday", "yesterday", "last night", "friday", "this morning", "the weekend", "last week", "tuesday"]
NUM = ["2", "3", "4", "5", "three", "four", "five", "six"]
ITEM = ["order", "subscription", "invoice", "ticket", "booking", "refund", "account", "payment", "bill",
        "plan", "renewal", "delivery", "reservation", "upgrade"]
FEATURE = ["dashboard", "app", "update", "search", "checkout", "mobile app", "website", "reporting",
           "lounge", "seats", "plan", "portal", "export", "layout", "dark mode", "integration"]
PERSON = ["the agent", "your rep", "the lady on the phone", "the guy at the desk", "the tech", "your engineer",
          "the chat agent", "the crew", "the driver", "the manager", "your support team", "the staff"]

NEG_CORES = [
    # software / SaaS
    "the dashboard won't load", "can't log in since the update", "sync has been stuck for {dur}",
    "the export fails every single time", "single sign-on is broken for our whole team",
    "your api keeps returning 500 errors", "the app logs me out every few minutes",
    "the report numbers don't match our records", "the integration dropped half of our records",
    "the password reset email never arrives", "every release breaks something else",
    "the page just spins and nothing happens", "our data from last week is gone",
    "the app crashes when i open settings", "uploads fail with no error message",
    "the new version removed the one feature we used", "the mobile app won't open after the update",
    "nothing has synced since {day}", "the scheduler skipped all of {day}'s jobs",
    "our users are locked out", "the search returns nothing", "it keeps timing out",
    "the bug we reported in march is still there", "the fix you shipped broke the export",
    # deliveries / retail
    "my order still hasn't shipped", "the package says delivered but it isn't here",
    "tracking hasn't updated in {dur}", "i received the wrong item", "the item arrived damaged",
    "my refund still hasn't come through after {dur}", "i was charged but the order got cancelled",
    "order #{n}417 is {dur} late", "the box arrived empty", "you sent the wrong size twice",
    "the courier never came", "half my order is missing", "still no sign of my parcel",
    # travel
    "my flight was delayed {dur} with no explanation", "flight cancelled and no rebooking offered",
    "my bag didn't arrive", "you lost my luggage", "we sat on the tarmac for {dur}",
    "i missed my connection because of your delay", "the gate changed {n} times",
    "the seat was broken and the screen was dead", "i paid for a seat and got moved to the back",
    "nobody at the desk to help", "you rebooked me for {day}", "i can't check in online",
    "the hotel gave away our room", "the shuttle never showed up", "the wifi didn't work the whole trip",
    # telecom / utilities
    "the internet has been down since {day}", "no signal at home for {dur}",
    "speeds are a fraction of what i pay for", "the technician never showed up",
    "the appointment window came and went", "my bill went up again without notice",
    "outage in my area for {dur} now", "the router keeps dropping the connection",
    "the power has been out since {day}", "my number was ported without asking me",
    # banking / billing
    "i was charged twice for the same {item}", "my card got declined for no reason",
    "my account is locked and nobody can unlock it", "the transfer is still pending after {dur}",
    "there's a fee i never agreed to", "you billed us after we cancelled",
    "the payment failed but the money left my account", "the invoice is wrong for the third month",
    "you renewed my {item} without asking", "i still haven't got the credit you promised",
    # the support channel itself
    "i've been on hold for {dur}", "on hold {dur} and counting", "called {n} times and got {n} different answers",
    "the chat disconnected again", "no reply to my email in {dur}", "my ticket was closed without a fix",
    "the agent hung up on me", "was told someone would call back and nobody did",
    "got transferred {n} times", "your bot just goes in circles", "still waiting on an answer",
    "nobody answered the phone", "asked for a manager and got nowhere",
    "the link in your email doesn't work", "i have explained this {n} times now",
    "you keep sending the same copy-paste reply", "nobody has looked at my ticket in {dur}",
    "i was promised a fix by {day} and nothing", "this is ticket number {n} about the same problem",
    "the callback never happened", "your phone line just rings out", "why does this keep happening",
    "how is this still not fixed", "why is nobody responding", "when will this be fixed",
    "why was i charged for this", "what is going on with my {item}", "where is my {item}",
    "please cancel my {item}, the app keeps crashing", "i want to cancel my {item}",
    "we will not renew if this continues", "we are looking at other vendors",
    "we are evaluating alternatives", "we are moving to a competitor",
]

NEG_TAILS = ["", "", ".", ".", "!", "!!", "?", "...", " again.", " seriously?", " ridiculous.", " unacceptable.",
             " not happy.", " fix this.", " #fail", " smh", " 😡", " 😤", " 🙄", " 😩", " any update?",
             " please help.", " i want a refund.", " i'm done.", " thanks for nothing.", " so frustrating.",
             " terrible service.", " worst experience ever.", " never again.", " cancel my account.",
             " this is a joke.", " what a mess.", " sort it out.", " really disappointed.", " absurd.",
             " i need this resolved today.", " ugh.", " not good enough.", " what am i paying for?",
             " this is the last straw.", " you have lost a customer.", " 👎", " come on.", " do better."]

POS_CORES = [
    "thanks for the quick help", "thank you for sorting out my {item}", "got my refund today, thank you",
    "{person} fixed it in minutes", "{person} was so helpful", "issue resolved, appreciate it",
    "great service today", "you guys rock", "love the new {feature}", "my order arrived a day early",
    "smooth check in, well done", "{person} was wonderful", "best customer service i've had in years",
    "thanks for following up", "appreciate the quick response", "that worked, thanks",
    "shoutout to your support team", "kudos to {person}", "you made my day",
    "really impressed with how fast you replied", "the new update is great", "so easy to set up",
    "exactly what i needed", "props to {person}", "happy customer here", "everything is working again, thanks",
    "can't thank you enough", "thanks for the upgrade", "fantastic experience from start to finish",
    "you made this so easy", "it's back up, thanks for the fast fix", "the {feature} works perfectly now",
    "the {feature} is so much faster now", "we are renewing for another year", "we want to add more seats",
    "the onboarding went smoothly", "the migration went really well", "landed early and the bags were first out",
    "{person} went above and beyond", "thanks for making it right", "the replacement arrived and works great",
    "the credit showed up, thank you", "quick and painless, thanks", "super friendly and helpful",
    "problem solved in one call", "thank you for the patience", "you've earned a loyal customer",
    "loving the {feature} so far", "great job on the {feature}", "thanks for the heads up",
    "installation was quick and the tech was lovely", "internet is back and faster than ever, thanks",
    "my card works again, thank you", "thank you for waiving the fee", "the team was a pleasure to work with",
    "thank you for the help yesterday", "glad it's sorted, thanks", "wow that was fast, thank you",
    "cheers for the quick fix", "much better since the update", "this saves us hours every week",
]

POS_TAILS = ["", "", ".", "!", "!!", " 😊", " 🙏", " 👍", " ❤️", " :)", " thanks!", " much appreciated.",
             " you're the best.", " will recommend.", " 10/10", " keep it up!", " #happycustomer", " 👏",
             " great job.", " thank you!", " awesome.", " 🎉", " brilliant.", " legends.", " 😀"]

# Sarcasm and mixed messages: negative.
NEG_MIXED = [
    "thanks for the reply but {neg}", "appreciate the apology but {neg}", "great, {neg}",
    "love how {neg}", "thanks for nothing, {neg}", "nice new {feature} but {neg}",
    "i used to love this {feature} but {neg}", "the agent was polite but {neg}",
    "thanks, but {neg}", "well done, {neg}", "wonderful, {neg}", "so glad i paid for this, {neg}",
]
# A problem that was then fixed, with thanks: positive.
POS_MIXED = [
    "{neg_past} but {person} fixed it quickly, thanks", "was worried when {neg_past} but you sorted it, thank you",
    "{neg_past}, but {person} sorted it out in minutes", "had a rough start but {person} made it right",
    "{neg_past} but it's all fixed now, thanks", "after a bumpy start everything works, thank you",
]
NEG_PAST = ["my flight got delayed", "the export failed", "my order was late", "i got double charged",
            "the app crashed", "my bag went missing", "the internet dropped", "i was locked out",
            "the sync broke", "my card was declined", "the invoice was wrong", "the package was damaged"]


# Neutral: questions, requests and information with no complaint and no praise in them.
NEU_CORES = [
    "what time does support open on {day}", "can i change the email on my {item}",
    "how do i export the report to csv", "do you ship to canada", "is there a student discount",
    "what is the baggage allowance for international flights", "can i add a second user to my {item}",
    "where can i find my invoice", "is the {feature} available on android", "how do i reset my password",
    "does the plan include phone support", "can you confirm my {item} number", "i'd like to update my billing address",
    "when does the sale end", "which plan includes single sign-on", "what are your holiday hours",
    "please send me a copy of my {item}", "my {item} number is {n}417", "i moved, how do i update my address",
    "is there an api for the {feature}", "can i pay by bank transfer", "do you have an office in chicago",
    "how long does shipping usually take", "sent you a dm with the details", "dm sent",
    "can i bring a stroller on board", "is the {feature} included in the basic plan",
    "how many users can we add", "what file formats does the importer accept", "can i change my seat online",
    "do you offer annual billing", "is there a limit on api calls", "what's the difference between the two plans",
    "who should i contact about a partnership", "we are adding five people to the team next month",
    "our fiscal year starts in april", "please add my colleague to the ticket", "can we move the call to {day}",
    "can you send the agenda for the review", "we will be out of office next week", "the meeting is at 3pm",
    "here is the screenshot you asked for", "attached is the export", "my account id is {n}417",
    "does the app work offline", "are there any updates planned for the {feature}",
    "can i transfer my {item} to someone else", "how do i download my data", "what is the cancellation window for a {item}",
    "i will check with my team and get back to you", "noted, we'll review it internally",
    "please use my work email from now on", "is {day} still good for the training", "can i get a receipt for my {item}",
    "how do i turn on notifications", "what's the status of order {n}417", "is the desk open at the weekend",
    "which terminal do you fly from", "can i pick up the package at the store", "do you price match",
    "is it possible to change the delivery address", "our admin changed, please update the contact",
]
NEU_TAILS = ["", "", "?", "?", ".", " please.", " thanks.", " thank you.", " cheers", " ?", "?\n", " when you get a chance."]


def _fill(t, rng):
    return (t.replace("{dur}", rng.choice(DUR)).replace("{day}", rng.choice(DAY))
            .replace("{n}", rng.choice(NUM)).replace("{item}", rng.choice(ITEM))
            .replace("{feature}", rng.choice(FEATURE)).replace("{person}", rng.choice(PERSON)))


def _style(s, rng):
    s = rng.choice(OPENERS).replace("{brand}", rng.choice(BRANDS)) + s
    r = rng.random()
    if r < 0.45:
        s = s[0].upper() + s[1:]
    elif r < 0.5:
        s = s.upper()
    return s


def support_corpus(seed=13, n_neg=9000, n_pos=9000, n_neu=0):
    """(text, label) pairs, label 0 = negative, 1 = positive, 2 = neutral; deterministic for a seed; no duplicates."""
    rng = random.Random(seed)
    out, seen = [], set()

    def add(text, label):
        if text not in seen:
            seen.add(text)
            out.append((text, label))

    tries = 0
    while sum(1 for _, l in out if l == 0) < n_neg and tries < n_neg * 20:
        tries += 1
        if rng.random() < 0.15:
            core = _fill(rng.choice(NEG_MIXED), rng).replace("{neg}", _fill(rng.choice(NEG_CORES), rng))
        else:
            core = _fill(rng.choice(NEG_CORES), rng)
        add(_style(core + rng.choice(NEG_TAILS), rng), 0)
    tries = 0
    while sum(1 for _, l in out if l == 1) < n_pos and tries < n_pos * 20:
        tries += 1
        if rng.random() < 0.12:
            core = _fill(rng.choice(POS_MIXED), rng).replace("{neg_past}", rng.choice(NEG_PAST))
        else:
            core = _fill(rng.choice(POS_CORES), rng)
        add(_style(core + rng.choice(POS_TAILS), rng), 1)
    if n_neu > 0:
        nrng = random.Random(seed + 101)  # a separate stream: adding neutral rows leaves the others unchanged
        tries = 0
        while sum(1 for _, l in out if l == 2) < n_neu and tries < n_neu * 20:
            tries += 1
            add(_style(_fill(nrng.choice(NEU_CORES), nrng) + nrng.choice(NEU_TAILS), nrng), 2)
    return out


if __name__ == "__main__":
    rows = support_corpus()
    print(len(rows), sum(l for _, l in rows))
    for t, l in random.Random(1).sample(rows, 20):
        print(l, t)
