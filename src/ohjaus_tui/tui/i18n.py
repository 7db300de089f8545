"""Every visible string of the workstation, in Finnish, Swedish and English.

Code-list labels (channels, reasons ...) come from the code book; this module
holds the rest. ``Texts(language)("key", name=...)`` formats one.
"""

from __future__ import annotations

from dataclasses import dataclass

STRINGS: dict[str, tuple[str, str, str]] = {
    # key: (fi, sv, en)
    "app.title": ("Asiakasohjaus", "Kundhandledning", "Client guidance"),
    "signin.title": ("Kirjaudu työpisteelle", "Logga in på arbetsstationen", "Sign in"),
    "signin.who": ("Kuka olet?", "Vem är du?", "Who are you?"),
    "signin.channel": ("Mihin kanavaan?", "Vilken kanal?", "Which channel?"),
    "signin.go": ("Aloita", "Börja", "Start"),
    "signin.no_people": (
        "Ei käyttäjiä: lisää ne komennolla `ohjaus operators add`.",
        "Inga användare: lägg till dem med `ohjaus operators add`.",
        "No operators: add them with `ohjaus operators add`.",
    ),
    "signin.both": (
        "{name} on jo kanavalla {channel}: sama henkilö ei voi vastata puhelimeen ja "
        "chattiin yhtä aikaa. Esihenkilö voi poikkeuksellisesti sallia sen perustellen.",
        "{name} är redan på kanalen {channel}: samma person kan inte svara i telefon och "
        "chatt samtidigt. En förman kan tillåta det med en motivering.",
        "{name} is already on {channel}: one person cannot answer phone and chat at the "
        "same time. A lead may allow it with a reason.",
    ),
    "signin.pin": ("PIN-koodi", "PIN-kod", "PIN"),
    "signin.pin_first": (
        "Kirjoita ensin PIN-koodi.",
        "Skriv först PIN-koden.",
        "Type the PIN first.",
    ),
    "signin.no_pin": (
        "Käyttäjällä {name} ei ole PIN-koodia: pääkäyttäjä asettaa sen (ohjaus operators pin).",
        "{name} har ingen PIN-kod: en administratör ställer in den (ohjaus operators pin).",
        "{name} has no PIN: an admin sets one (ohjaus operators pin).",
    ),
    "signin.override_hint": (
        "Ctrl+O: esihenkilö sallii poikkeuksen.",
        "Ctrl+O: en förman tillåter ett undantag.",
        "Ctrl+O: a lead allows an exception.",
    ),
    "key.override": ("Esihenkilön lupa", "Förmannens lov", "Lead override"),
    "override.title": (
        "Salli {name} myös kanavalle {channel}",
        "Tillåt {name} även på kanalen {channel}",
        "Allow {name} on {channel} too",
    ),
    "override.lead": ("Esihenkilö", "Förman", "Lead"),
    "override.keys": (
        "Enter: seuraava kenttä, perustelun jälkeen salli · Esc: peru",
        "Enter: nästa fält, efter motiveringen tillåt · Esc: avbryt",
        "Enter: next field, after the reason allow · Esc: cancel",
    ),
    "override.pin": ("Esihenkilön PIN-koodi", "Förmannens PIN-kod", "The lead's PIN"),
    "override.reason": ("Perustelu", "Motivering", "Reason"),
    "override.need_reason": (
        "Kirjoita perustelu (se tallentuu lokiin).",
        "Skriv en motivering (den sparas i loggen).",
        "Write the reason (it goes into the audit trail).",
    ),
    "override.hetu": (
        "Perustelussa on henkilötunnus: poista se (perustelu tallentuu lokiin).",
        "Motiveringen innehåller en personbeteckning: ta bort den (den sparas i loggen).",
        "The reason holds a personal identity code: remove it (it goes into the audit trail).",
    ),
    "override.no_leads": (
        "Ei esihenkilöitä, jotka voisivat sallia poikkeuksen.",
        "Inga förmän som kan tillåta ett undantag.",
        "No lead who could allow the exception.",
    ),
    "override.not_lead": (
        "{name} ei ole esihenkilö.",
        "{name} är inte förman.",
        "{name} is not a lead.",
    ),
    "override.wrong_pin": (
        "Väärä PIN-koodi ({name}).",
        "Fel PIN-kod ({name}).",
        "Wrong PIN ({name}).",
    ),
    "role.operator": ("ohjaaja", "handledare", "operator"),
    "role.lead": ("esihenkilö", "förman", "lead"),
    "role.admin": ("pääkäyttäjä", "administratör", "admin"),
    "main.staffing": ("Työvuorossa", "I tjänst", "On duty"),
    "main.open": ("auki", "öppen", "open"),
    "main.closed": ("kiinni, avautuu {when}", "stängd, öppnar {when}", "closed, opens {when}"),
    "main.waiting": ("odottaa", "väntar", "waiting"),
    "main.empty": ("Jono on tyhjä.", "Kön är tom.", "The queue is empty."),
    "main.you": ("{name} · {channel}", "{name} · {channel}", "{name} · {channel}"),
    "col.channel": ("Kanava", "Kanal", "Channel"),
    "col.received": ("Saapunut", "Inkommit", "Received"),
    "channel.short.phone": ("Puh.", "Tel.", "Phone"),
    "channel.short.chat": ("Chat", "Chatt", "Chat"),
    "channel.short.message": ("Viesti", "Medd.", "Msg"),
    "col.waited": ("Odottanut", "Väntat", "Waited"),
    "col.number": ("Numero / aihe", "Nummer / ämne", "Number / subject"),
    "col.ident": ("Tunnistus", "Identifiering", "Identity"),
    "col.lang": ("Kieli", "Språk", "Lang"),
    "col.behalf": ("Puolesta", "För annan", "Behalf"),
    "col.due": ("Määräaika", "Tidsfrist", "Due"),
    "col.status": ("Tila", "Status", "Status"),
    "col.subject": ("Aihe", "Ämne", "Subject"),
    "status.waiting": ("odottaa", "väntar", "waiting"),
    "status.claimed": ("käsittelyssä: {name}", "hanteras: {name}", "with {name}"),
    "status.later": ("klo {when}", "kl. {when}", "at {when}"),
    "ident.identified": ("tunnistettu", "identifierad", "identified"),
    "ident.anonymous": ("anonyymi", "anonym", "anonymous"),
    "yes": ("kyllä", "ja", "yes"),
    "no": ("ei", "nej", "no"),
    "not_recorded": ("ei kirjattu", "ej registrerat", "not recorded"),
    "due.late": ("myöhässä", "försenad", "late"),
    "key.take": ("Ota seuraava", "Ta nästa", "Take next"),
    "key.release": ("Palauta jonoon", "Tillbaka till kön", "Release"),
    "key.transfer": ("Siirrä", "Flytta", "Transfer"),
    "key.help": ("Ohje", "Hjälp", "Help"),
    "key.quit": ("Lopeta", "Avsluta", "Quit"),
    "key.lead": ("Tilannekuva", "Lägesbild", "Lead board"),
    "key.back": ("Takaisin", "Tillbaka", "Back"),
    "key.reached": ("Tavoitettu", "Nådd", "Reached"),
    "key.no_answer": ("Ei vastausta", "Inget svar", "No answer"),
    "key.wrong": ("Väärä numero", "Fel nummer", "Wrong number"),
    "key.end": ("Päätä ja kirjaa", "Avsluta och registrera", "End and log"),
    "key.identify": ("Pyydä tunnistautumaan", "Be om identifiering", "Ask to identify"),
    "key.send": ("Lähetä", "Skicka", "Send"),
    "key.save": ("Tallenna", "Spara", "Save"),
    "key.service": ("Palvelu", "Tjänst", "Service"),
    "take.none": ("Ei odottavia yhteydenottoja.", "Inga väntande kontakter.", "Nothing waiting."),
    "phone.title": ("Takaisinsoitto", "Återuppringning", "Callback"),
    "phone.call": ("Soita numeroon", "Ring numret", "Call"),
    "phone.attempts": ("Yritykset", "Försök", "Attempts"),
    "phone.retry": (
        "Ei vastausta: pyyntö palaa jonoon {minutes} min kuluttua.",
        "Inget svar: begäran återkommer i kön om {minutes} min.",
        "No answer: the request returns to the queue in {minutes} min.",
    ),
    "phone.abandoned": (
        "Takaisinsoitto päättyi ilman yhteyttä.",
        "Återuppringningen avslutades utan kontakt.",
        "The callback ended without contact.",
    ),
    "chat.title": ("Chat", "Chatt", "Chat"),
    "chat.client": ("Asiakas", "Klient", "Client"),
    "chat.reply": ("Vastaus", "Svar", "Reply"),
    "chat.left": ("Asiakas poistui chatista.", "Klienten lämnade chatten.", "The client left."),
    "chat.identified": (
        "Asiakas on tunnistautunut.",
        "Klienten har identifierat sig.",
        "Identified.",
    ),
    "message.title": ("Sähköinen viesti", "Elektroniskt meddelande", "Electronic message"),
    "message.due": (
        "Vastattava viimeistään {when}",
        "Ska besvaras senast {when}",
        "Answer by {when}",
    ),
    "transfer.title": ("Siirrä kanavalle", "Flytta till kanal", "Transfer to channel"),
    "released": ("Palautettu jonoon.", "Tillbaka i kön.", "Released to the queue."),
    "transferred": ("Siirretty: {channel}.", "Flyttad: {channel}.", "Transferred: {channel}."),
    "form.title": ("Kirjaa yhteydenotto", "Registrera kontakten", "Log the contact"),
    "form.saved": ("Yhteydenotto kirjattu.", "Kontakten registrerad.", "Contact logged."),
    "form.title_correct": ("Korjaa kirjaus", "Rätta registreringen", "Correct the contact"),
    "form.correcting": (
        "Korjaat kirjausta {id}, kirjattu {when}.",
        "Du rättar registrering {id}, registrerad {when}.",
        "Correcting contact {id}, logged {when}.",
    ),
    "form.corrected": ("Kirjaus korjattu.", "Registreringen rättad.", "Contact corrected."),
    "form.unchanged": (
        "Ei muutoksia: kirjaus ennallaan.",
        "Inga ändringar: registreringen är som förut.",
        "Nothing changed: the contact is as it was.",
    ),
    "key.my_contacts": ("Omat kirjaukset", "Mina registreringar", "My contacts"),
    "key.correct": ("Korjaa", "Rätta", "Correct"),
    "mine.title": (
        "Omat kirjaukset tänään",
        "Mina registreringar i dag",
        "My contacts today",
    ),
    "mine.hint": (
        "Enter avaa kirjauksen korjattavaksi. Korjaukset tallentuvat lokiin.",
        "Enter öppnar registreringen för rättelse. Rättelser sparas i loggen.",
        "Enter opens a contact to correct it. Corrections go into the audit trail.",
    ),
    "mine.empty": (
        "Ei tämän päivän kirjauksia.",
        "Inga registreringar i dag.",
        "No contacts logged today.",
    ),
    "mine.time": ("Kirjattu", "Registrerad", "Logged"),
    "mine.reasons": ("Syyt", "Orsaker", "Reasons"),
    "mine.referral": ("Ohjaus", "Hänvisning", "Referral"),
    "form.fix": ("Korjaa: {what}", "Rätta: {what}", "Fix: {what}"),
    "draft.restored": (
        "Keskeneräinen kirjaus palautettiin.",
        "Ett påbörjat formulär återställdes.",
        "An unfinished form was restored.",
    ),
    "resume.item": (
        "Palasit käsittelemääsi yhteydenottoon: {channel} #{id}.",
        "Du är tillbaka i kontakten du handlägger: {channel} #{id}.",
        "Back to the contact you are handling: {channel} #{id}.",
    ),
    "own.drafts": (
        "{count} tallentamatonta kirjausta",
        "{count} osparade formulär",
        "{count} unsaved form(s)",
    ),
    "own.line": (
        "Kesken: {what} · j jatkaa",
        "Påbörjat: {what} · j fortsätter",
        "Open: {what} · j continues",
    ),
    "own.none": (
        "Ei keskeneräistä työtä.",
        "Inget påbörjat arbete.",
        "Nothing left open.",
    ),
    "key.resume": ("Jatka", "Fortsätt", "Continue"),
    "confirm.keys": (
        "Enter tai sama näppäin uudelleen: vahvista · Esc: peru",
        "Enter eller samma tangent igen: bekräfta · Esc: avbryt",
        "Enter or the same key again: confirm · Esc: cancel",
    ),
    "col.waited_done": ("Odotti", "Väntade", "Had waited"),
    "phone.confirm_wrong": (
        "Väärä numero {number}? Pyyntö suljetaan eikä siihen soiteta enää.",
        "Fel nummer {number}? Begäran stängs och ingen ringer upp den igen.",
        "Wrong number {number}? The request is closed and not called again.",
    ),
    "reply.hetu": (
        "Vastauksessa on henkilötunnus: poista se ennen lähettämistä. Teksti säilyy laatikossa.",
        "Svaret innehåller en personbeteckning: ta bort den innan du skickar. "
        "Texten finns kvar i rutan.",
        "The reply holds a personal identity code: remove it before sending. "
        "The text stays in the box.",
    ),
    "lead.title": ("Tilannekuva", "Lägesbild", "Lead board"),
    "lead.only": (
        "Tilannekuva on esihenkilöille.",
        "Lägesbilden är för förmän.",
        "The lead board is for leads.",
    ),
    "help.title": ("Näppäimet", "Tangenter", "Keys"),
    # --- lead board, help, command palette ---
    "lead.queues": ("Jonot nyt", "Köerna nu", "Queues now"),
    "lead.waiting": ("Odottaa", "Väntar", "Waiting"),
    "lead.claimed": ("Käsittelyssä", "Hanteras", "In hand"),
    "lead.longest": ("Pisin odotus", "Längsta väntan", "Longest wait"),
    "lead.staff": ("Kanavilla nyt", "På kanalerna nu", "Signed on now"),
    "lead.nobody": ("ei ketään", "ingen", "nobody"),
    "lead.unstaffed": ("AUKI, EI PÄIVYSTÄJÄÄ", "ÖPPEN, INGEN BEMANNING", "OPEN, NOBODY ON IT"),
    "lead.override": (
        "{name}: puhelin ja chat yhtä aikaa, syy: {reason} (salli {lead})",
        "{name}: telefon och chatt samtidigt, orsak: {reason} (tillät {lead})",
        "{name}: phone and chat at once, reason: {reason} (allowed by {lead})",
    ),
    "lead.due": (
        "Viestit määräajan lähellä (2 h) tai myöhässä",
        "Meddelanden nära tidsfristen (2 h) eller försenade",
        "Messages due within 2 h or late",
    ),
    "lead.no_due": (
        "Ei viestejä määräajan lähellä.",
        "Inga meddelanden nära tidsfristen.",
        "No messages near their deadline.",
    ),
    "lead.today": ("Tänään {day}", "I dag {day}", "Today {day}"),
    "lead.offered": ("Tulleet", "Inkomna", "Offered"),
    "lead.answered": ("Vastatut", "Besvarade", "Answered"),
    "lead.abandoned": ("Keskeytyneet", "Avbrutna", "Abandoned"),
    "lead.logged": ("Kirjatut", "Registrerade", "Logged"),
    "lead.total": ("Yhteensä", "Totalt", "Total"),
    "lead.left": ("Jäljellä", "Kvar", "Left"),
    "lead.updated": ("päivitetty {when}", "uppdaterad {when}", "updated {when}"),
    "help.rules_title": ("Pelisäännöt", "Spelregler", "How the desk works"),
    "help.rules": (
        "Sama henkilö ei vastaa puhelimeen ja chattiin yhtä aikaa: toinen päivystää "
        "puhelinta, toinen chattia. Aukioloaikana jätettyyn takaisinsoittopyyntöön "
        "soitetaan samana päivänä ennen sulkemista (terveydenhuoltolaki 51 §). "
        "Sähköisiin viesteihin vastataan viimeistään seuraavana arkipäivänä; arkipyhät, "
        "juhannusaatto ja jouluaatto eivät ole arkipäiviä.",
        "Samma person svarar inte i telefon och chatt samtidigt: en sköter telefonen, "
        "en annan chatten. En återuppringning som begärs under öppettiden görs samma dag "
        "före stängning (hälso- och sjukvårdslagen 51 §). Elektroniska meddelanden besvaras "
        "senast följande vardag; helgdagar, midsommarafton och julafton är inte vardagar.",
        "One person does not answer phone and chat at the same time: one is on the phone, "
        "another on chat. A callback requested while the desk is open is made the same day, "
        "before closing (Health Care Act, section 51). Electronic messages are answered by "
        "the next business day at the latest; public holidays, Midsummer Eve and Christmas "
        "Eve are not business days.",
    ),
    "key.command_palette": ("Komennot", "Kommandon", "Commands"),
    "palette.placeholder": ("Etsi komentoa…", "Sök ett kommando…", "Search for commands…"),
    "palette.no_matches": ("Ei osumia", "Inga träffar", "No matches found"),
    "key.focus_next": ("Seuraava kenttä", "Nästa fält", "Next field"),
    "key.focus_previous": ("Edellinen kenttä", "Föregående fält", "Previous field"),
    "key.copy_text": ("Kopioi valittu teksti", "Kopiera markerad text", "Copy selected text"),
    "error.db": ("Tietokantavirhe: {what}", "Databasfel: {what}", "Database error: {what}"),
    # --- contact-logging form (wrap-up) ---
    "form.reasons": ("Syy (useita)", "Orsak (flera)", "Reasons (several)"),
    "form.caller": ("Yhteydenottaja", "Vem kontaktade", "Caller"),
    "form.referral": ("Jatko-ohjaus", "Vidare hänvisning", "Referral"),
    "form.service": ("Palvelu hakemistosta", "Tjänst i katalogen", "Service (directory)"),
    "form.search": (
        "kirjoita muutama kirjain, Enter valitsee",
        "skriv några bokstäver, Enter väljer",
        "type a few letters, Enter picks",
    ),
    "form.picked": (
        "Palvelu: {name} ({segment})",
        "Tjänst: {name} ({segment})",
        "Service: {name} ({segment})",
    ),
    "form.no_service": ("Palvelua ei ole valittu.", "Ingen tjänst vald.", "No service picked."),
    "form.no_hits": (
        "Ei osumia hakemistossa.",
        "Inga träffar i katalogen.",
        "No match in the directory.",
    ),
    "form.more_hits": (
        "Lisää osumia: näkyvissä {shown} parasta, tarkenna hakua.",
        "Fler träffar: de {shown} bästa visas, förfina sökningen.",
        "More matches: the best {shown} are shown, type more to narrow.",
    ),
    "form.changed": (
        "Muutettu: {row}: {value}",
        "Ändrat: {row}: {value}",
        "Changed: {row}: {value}",
    ),
    "form.keys_correct": (
        "Numero valitsee · ←/→ ja välilyönti · ↑/↓ rivi · Enter tai Ctrl+S tallentaa · "
        "Esc: takaisin, ei muutoksia",
        "Siffra väljer · ←/→ och mellanslag · ↑/↓ rad · Enter eller Ctrl+S sparar · "
        "Esc: tillbaka, inga ändringar",
        "A digit picks · ←/→ and Space · ↑/↓ row · Enter or Ctrl+S saves · Esc: back, no changes",
    ),
    "form.loading": (
        "Palveluhakemisto latautuu...",
        "Tjänstekatalogen laddas...",
        "The directory is loading...",
    ),
    "form.mode": ("Ohjauksen tapa", "Sätt att hänvisa", "Referral mode"),
    "form.segment": ("Palvelukokonaisuus", "Servicehelhet", "Service segment"),
    "form.level": ("Ohjauksen taso", "Handledningsnivå", "Guidance level"),
    "form.ident": ("Tunnistus", "Identifiering", "Identification"),
    "form.behalf": ("Toisen puolesta", "För någon annan", "On behalf of another"),
    "form.language": ("Asiointikieli", "Språk", "Language"),
    "form.resolved": (
        "Ratkesi yhdellä yhteydellä",
        "Löst vid första kontakten",
        "Resolved at once",
    ),
    "form.desk_default": ("yksikön oletus", "enhetens standardval", "the desk's default"),
    "form.signs": ("Yhteisasiakkuuden merkit", "Tecken på gemensam klient", "Many-services signs"),
    "form.score": ("Palaute 1-5 (hymiö)", "Respons 1-5 (smiley)", "Feedback 1-5 (smiley)"),
    "form.helped": ("Tuliko autetuksi?", "Fick klienten hjälp?", "Helped?"),
    "form.feedback_text": ("Palautteen teksti", "Responsens text", "Feedback text"),
    "form.note": ("Muistiinpano", "Anteckning", "Note"),
    "form.info": (
        "{channel} #{id} · saapui {when} · {ident} · {language}",
        "{channel} #{id} · inkom {when} · {ident} · {language}",
        "{channel} #{id} · received {when} · {ident} · {language}",
    ),
    "form.keys": (
        "Numero valitsee · ←/→ ja välilyönti · ↑/↓ rivi · Enter tai Ctrl+S tallentaa · "
        "Esc: takaisin, luonnos säilyy",
        "Siffra väljer · ←/→ och mellanslag · ↑/↓ rad · Enter eller Ctrl+S sparar · "
        "Esc: tillbaka, utkastet sparas",
        "A digit picks · ←/→ and Space · ↑/↓ row · Enter or Ctrl+S saves · "
        "Esc: back, the draft is kept",
    ),
    "form.hetu": (
        "Tekstissä on henkilötunnus: poista se. Tämä kirjaus ei ole potilasasiakirja, "
        "eikä siihen tallenneta henkilötunnuksia.",
        "Texten innehåller en personbeteckning: ta bort den. Registreringen är ingen "
        "patientjournal och sparar inga personbeteckningar.",
        "The text contains a personal identity code (henkilötunnus): remove it. This log "
        "is not a patient record and keeps no identity codes.",
    ),
    "form.err.reasons": (
        "valitse vähintään yksi syy (numero 1-9 Syy-rivillä)",
        "välj minst en orsak (siffra 1-9 på raden Orsak)",
        "choose at least one reason (a digit 1-9 on the Reasons row)",
    ),
    "form.err.caller_type": (
        "valitse yhteydenottaja",
        "välj vem som kontaktade",
        "choose the caller",
    ),
    "form.err.referral": ("valitse jatko-ohjaus", "välj vidare hänvisning", "choose the referral"),
    "form.err.referral_mode": (
        "valitse ohjauksen tapa: siirretty palveluun vai ohjattu ottamaan yhteyttä",
        "välj sätt: överförd till tjänsten eller hänvisad att kontakta den",
        "choose the mode: passed on, or the client told to contact the service",
    ),
    "form.err.referral_service": (
        "valitse palvelu hakemistosta: kirjoita muutama kirjain ja paina Enter",
        "välj tjänsten i katalogen: skriv några bokstäver och tryck Enter",
        "pick the service from the directory: type a few letters and press Enter",
    ),
    "form.err.hetu": (
        "poista henkilötunnus kentästä {field}",
        "ta bort personbeteckningen i fältet {field}",
        "remove the identity code from {field}",
    ),
    "form.err.too_long": (
        "{field}: enintään {limit} merkkiä",
        "{field}: högst {limit} tecken",
        "{field}: at most {limit} characters",
    ),
    "form.err.started_at": (
        "yhteydenoton aika ei kelpaa: tarkista koneen kello",
        "kontaktens tid duger inte: kontrollera datorns klocka",
        "the contact's time is not valid: check the computer's clock",
    ),
    "form.err.other": ("{field}: {message}", "{field}: {message}", "{field}: {message}"),
    "form.failed": (
        "Kirjaus ei tallentunut ({what}). Luonnos on tallessa.",
        "Registreringen sparades inte ({what}). Utkastet finns kvar.",
        "The contact was not logged ({what}). The draft is kept.",
    ),
    "sign.many_needs": (
        "tarvitsee useita palveluita",
        "behöver flera tjänster",
        "needs several services",
    ),
    "sign.many_actors": (
        "useita ammattilaisia tai toimijoita",
        "flera yrkespersoner eller aktörer",
        "several professionals or actors",
    ),
    "sign.social_and_health": (
        "sekä sosiaali- että terveyspalvelujen tarve",
        "behov av både social- och hälsotjänster",
        "needs both social and health services",
    ),
    "sign.unmet": (
        "palvelut eivät vastaa tarpeeseen",
        "tjänsterna motsvarar inte behovet",
        "the services do not meet the need",
    ),
    "sign.coordination": (
        "tarvitsee palvelujen koordinointia",
        "behöver samordning av tjänsterna",
        "needs the services coordinated",
    ),
}

LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class Texts:
    language: str = "fi"

    def __call__(self, key: str, **values: object) -> str:
        fi, sv, en = STRINGS[key]
        text = {"fi": fi, "sv": sv, "en": en}.get(self.language, fi)
        return text.format(**values) if values else text
