cases-title = Ärenden
cases-hint = Mina ärenden, enhetens ärenden, registrering och fördelning
registries-title = Diarier och ärendetyper
registries-hint = Diarier, nummerformat, klassificering och ärendetyper
diary-title = Diarium
diary-hint = Sök bland kommunens registrerade ärenden och handlingar
perm-cases-read = Läsa ärenden
perm-cases-handle = Handlägga ärenden
perm-cases-register = Registrera ärenden och handlingar
perm-cases-distribute = Fördela ärenden
perm-cases-reopen = Återuppta avslutade ärenden
perm-cases-admin = Administrera diarier och ärendetyper

cases-new = Nytt ärende
cases-register = Registrera ärendet
cases-views = Urval
cases-view-mine = Mina ärenden
cases-view-work-group = Min arbetsgrupp
cases-view-unit = Min enhet
cases-view-department = Min förvaltning
cases-view-all = Alla jag får se
cases-any = Alla
cases-sort = Sortera
cases-sort-opened = Senast registrerade
cases-sort-due = Måldatum
cases-sort-number = Diarienummer
cases-overdue-only = Bara försenade
cases-filter = Visa
cases-count = { $count ->
    [one] Ett ärende
   *[other] { $count } ärenden
}
cases-none = Inga ärenden i urvalet.
cases-unassigned = Ej fördelat
cases-overdue = Försenat
cases-no-unit = Ingen enhet
cases-no-types = Det finns inga ärendetyper ännu. En administratör lägger upp dem under Diarier och ärendetyper.
cases-party = Part
cases-parties = Parter
cases-change-status = Ändra status
cases-assign = Fördela
cases-timeline = Händelser
public-title-hint = Visas i det offentliga diariet. Lämna tomt om ärendemeningen kan visas som den är; skriv aldrig personnummer.
party-identity-hint = Personnummer, samordningsnummer eller organisationsnummer. Visas aldrig offentligt.
party-applicant = sökande
party-counterparty = motpart
party-other = övrig part
case-status-open = Pågående
case-status-suspended = Vilande
case-status-closed = Avslutat
case-status-obliterated = Makulerat

records-title = Handlingar
records-caption = Handlingar i ärendet
records-none = Inga handlingar ännu.
# The platform's field-kind is an org unit's level; a record's kind has its own label.
records-kind = Typ av handling
records-new = Ny handling
records-add = Lägg till handlingen
records-delete = Ta bort utkastet
record-kind-inbound = Inkommande
record-kind-outbound = Utgående
record-kind-memo = Tjänsteanteckning
record-kind-decision = Beslut
record-status-drafted = Utkast
record-status-registered = Registrerad
record-status-established = Fastställd
record-status-approved = Godkänd
record-status-dispatched = Expedierad
record-action-registered = Registrera
record-action-established = Fastställ
record-action-approved = Godkänn
record-action-dispatched = Markera som expedierad
memo-hint = För tjänsteanteckningar (förvaltningslagen 27 §): vad som kommit fram och hur. Den kan inte ändras när den är registrerad.
private-person = privatperson

documents-title = Dokument
documents-caption = Dokument och versioner
documents-none = Inga dokument ännu.
documents-version = Version
documents-file = Fil
documents-checksum = Kontrollsumma (SHA-256)
documents-main = Huvuddokument
documents-attachment = Bilaga
documents-role = Typ
documents-new-version-of = Ny version av
documents-new-document = Ett nytt dokument
documents-upload = Ladda upp
documents-hint = PDF, Word, Excel, OpenDocument, text, bild eller e-post, högst 20 MB.

secrecy-title = Sekretessmarkering
secrecy-tag = Sekretess
secrecy-warning = Sekretessmarkerad:
secrecy-reassess = Markeringen är en varning. Vid varje begäran om utlämnande görs en ny sekretessprövning.
secrecy-fields = Vad som är sekretessmarkerat
secrecy-save = Spara markeringen
secrecy-ground-hint = Lagrum, till exempel OSL 26 kap. 1 §.
secret-field-title = Rubriken
secret-field-correspondent = Avsändare/mottagare
secret-field-document = Dokumentet

registries-registries = Diarier
registries-classes = Klassificering
registries-types = Ärendetyper
registries-add = Lägg till diarium
registries-add-class = Lägg till klass
registries-add-type = Lägg till ärendetyp
number-format-hint = Mönster med {"{"}code{"}"}, {"{"}year{"}"} och {"{"}seq{"}"}, till exempel {"{"}code{"}"} {"{"}year{"}"}/{"{"}seq{"}"} eller {"{"}year{"}"}-{"{"}seq:5{"}"}.
retention-hint = Antal år efter avslut innan gallring. Lämna tomt om handlingarna ska bevaras.
retention-keep = Bevaras
retention-destroy = Gallras efter { $years } år

diary-intro = Här finns kommunens registrerade ärenden och handlingar. Uppgifter som omfattas av sekretess visas som [Sekretess] och privatpersoners namn visas inte.
diary-search = Sök i diariet
diary-search-button = Sök
diary-hits = { $count ->
    [one] En träff
   *[other] { $count } träffar
}
diary-none = Inga ärenden hittades.
diary-request = Vill du ta del av en handling? Kontakta kommunens registratur och ange diarienumret.

field-number = Diarienummer
field-title = Rubrik
field-public_title = Offentlig rubrik
field-case_type_id = Ärendetyp
field-unit_id = Ansvarig enhet
field-caseworker_id = Handläggare
field-status = Status
field-due = Måldatum
field-opened = Registrerat
field-closed = Avslutat
field-class = Klass
field-note = Kommentar
field-correspondent = Avsändare/mottagare
field-correspondent_is_person = Avsändaren/mottagaren är en privatperson
field-document_date = Handlingens datum
field-memo_text = Anteckning
field-register = Registrera direkt (en inkommande handling registreras alltid)
field-registered = Registrerad
field-created = Skapad
field-secrecy_ground = Lagrum
field-party_role = Roll
field-party_name = Namn
field-party_identity = Identitetsnummer
field-party_contact = Kontaktuppgifter
field-number_format = Nummerformat
field-retention_years = Gallringsfrist (år)
field-registry_id = Diarium
field-target_days = Handläggningstid (dagar)
field-file = Fil
field-fields = Fält
field-vy = Urval
field-memo = Anteckning
field-retention = Gallring

err-registry-code = Diariets kod är 1–10 bokstäver och siffror och börjar med en bokstav, till exempel KS.
err-number-format = Nummerformatet måste innehålla {"{"}year{"}"} och {"{"}seq{"}"} en gång var och kunna läsas tillbaka.
err-registry-exists = Det finns redan ett diarium med den koden.
err-registry-unknown = Välj ett diarium som finns.
err-class-exists = Det finns redan en klass med den koden.
err-class-unknown = Välj en klass som finns.
err-case-type-exists = Det finns redan en ärendetyp med det namnet.
err-case-type-unknown = Välj en ärendetyp som finns.
err-target-days = Handläggningstiden är ett antal dagar mellan 1 och 3650.
err-retention = Gallringsfristen är ett antal år mellan 1 och 200, eller tom.
err-caseworker-unknown = Välj en handläggare som finns.
err-party = Ange partens namn och roll.
err-party-identity = Identitetsnumret är varken ett giltigt personnummer, samordningsnummer eller organisationsnummer.
err-case-transition = Ärendet kan inte byta till den statusen härifrån.
err-case-reopen = Du har inte behörighet att återuppta avslutade ärenden.
err-reopen-reason = Skriv varför ärendet återupptas.
err-case-close-drafts = Ärendet kan inte avslutas så länge det har handlingar som inte är registrerade.
err-case-not-open = Ärendet är inte öppet; nya handlingar kan inte läggas till.
err-case-status = Välj en status.
err-record-kind = Välj typ av handling.
err-record-transition = Handlingen kan inte byta till den statusen härifrån.
err-record-delete = Bara utkast kan tas bort. En registrerad handling finns kvar i diariet.
err-record-locked = Handlingen är låst: en registrerad tjänsteanteckning eller en expedierad handling kan inte ändras.
err-memo-text = En tjänsteanteckning måste ha en anteckning.
err-correspondent = Ange avsändare eller mottagare.
err-date = Skriv datumet som ÅÅÅÅ-MM-DD.
err-secrecy-ground = Ange lagrummet för sekretessen, till exempel OSL 26 kap. 1 §.
err-file-empty = Välj en fil.
err-file-too-large = Filen är större än 20 MB.
err-file-type = Filtypen är inte tillåten, eller filens innehåll stämmer inte med filnamnet.
err-no-unit = Du hör inte till någon enhet, så det urvalet är tomt.

approvals-title = Att godkänna
approvals-hint = Handlingar som väntar på ditt godkännande
approvals-caption = Handlingar som väntar på dig
approvals-requested-by = Skickad av
approvals-none = Inget väntar på ditt godkännande.
approval-title = Godkännande
approval-status-waiting = väntar på sin tur
approval-status-pending = ska godkänna nu
approval-status-approved = godkänt
approval-status-returned = returnerat
approval-status-cancelled = avbrutet
approval-approve = Godkänn
approval-return = Returnera
approval-comment-hint = En kommentar behövs om du returnerar handlingen.
approval-send = Skicka för godkännande
approval-send-hint = Välj vilka som ska godkänna handlingen, i tur och ordning. Du kan inte godkänna din egen handling.
approval-approver-n = Godkännare { $n }
field-comment = Kommentar
field-approvers = Godkännare
field-decision = Beslut
err-approval-required = En handling godkänns genom godkännandegången, inte direkt.
err-approval-not-established = Handlingen måste vara fastställd innan den skickas för godkännande.
err-approval-open = Handlingen har redan en pågående godkännandegång.
err-approval-none = Det finns inget godkännande att ta ställning till.
err-approve-own = Du kan inte godkänna din egen handling.
err-approver-twice = Samma person kan bara finnas en gång i godkännandegången.
err-approvers-count = Välj mellan en och fem godkännare.
err-return-comment = Skriv varför handlingen returneras.

watches-title = Bevakningar
watches-hint = Dina bevakningar och flöden till kalendern
watches-caption = Dina öppna bevakningar
watches-none = Du har inga öppna bevakningar.
watches-none-case = Inga bevakningar i ärendet.
watches-none-record = Inga bevakningar av handlingen.
watches-new = Ny bevakning
watches-add = Lägg till bevakning
watches-actions = Åtgärder
watches-done = Klar: { $number }
watches-feeds = Flöden
watches-feeds-intro = Följ dina bevakningar i en flödesläsare (Atom) eller i din kalender (iCalendar). Adressen innehåller en hemlig nyckel; den som har den kan se dina bevakningar.
watches-feeds-once = Adresserna visas bara nu. Spara dem. En ny adress gör att den gamla slutar fungera.
watches-feeds-new = Skapa ny flödesadress
field-remind_days = Påminn antal dagar före
field-due-date = Datum
err-watch-past = Datumet har redan passerat.
err-watch-remind = Påminnelsen kan ligga 0–60 dagar före.

field-record_kind = Typ av handling
related-title = Relaterade ärenden
related-none = Inga relaterade ärenden.
related-add = Relatera
field-related_number = Diarienummer för ett annat ärende
err-diary-number = Skriv diarienumret som KOD ÅÅÅÅ/NUMMER, till exempel KS 2026/12.
err-diary-number-unknown = Det finns inget ärende med det diarienumret som du kan se.
err-relate-self = Ett ärende kan inte relateras till sig självt.
disposal-title = Gallring
disposal-hint = Avslutade ärenden vars dokument ska gallras
disposal-intro = Här listas avslutade ärenden vars klass säger att dokumenten gallras efter ett antal år, när den tiden har gått. Diarieuppgifterna finns kvar; dokumenten tas bort och beslutet antecknas i ärendet.
disposal-none = Inga ärenden ska gallras nu.
disposal-list = Ärenden att gallra
disposal-execute = Verkställ gallringen
disposal-ref-hint = Gallringsbeslutet eller dokumenthanteringsplanen som gallringen sker enligt, till exempel KS 2025/45.
disposal-done = { $count ->
    [one] En dokumentversion gallrades.
   *[other] { $count } dokumentversioner gallrades.
}
field-decision_ref = Gallringsbeslut
field-cases = Ärenden
err-disposal-ref = Ange gallringsbeslutet.
err-disposal-none = Välj minst ett ärende.
err-disposal-not-due = Ett av ärendena ska inte gallras än.
archive-export = Ladda ned arkivpaket (E-ARK)
err-export-not-closed = Bara avslutade ärenden kan exporteras som arkivpaket.

# Tjänsteskrivelse
memo-title = Tjänsteskrivelse
memo-intro = Skriv tjänsteskrivelsen här. Den skapas som PDF/A från kommunens mall och sparas som en ny version av handlingens dokument.
memo-again = Texterna från den senaste versionen står kvar; ändra dem och skapa en ny version.
memo-paragraph-hint = Skilj stycken åt med en tom rad.
memo-generate = Skapa tjänsteskrivelse (PDF/A)
field-proposal = Förslag till beslut
field-summary = Sammanfattning
field-background = Beskrivning av ärendet
field-assessment = Bedömning
err-memo-not-allowed = En tjänsteskrivelse kan bara skapas för utgående handlingar och beslut som inte är fastställda.
err-memo-template = Kommunens mall för tjänsteskrivelser kunde inte användas. Be en diarieadministratör rätta den under Diarier › Dokumentmallar.
err-memo-template-slow = Kommunens mall för tjänsteskrivelser tog för lång tid och stoppades. Be en diarieadministratör förenkla den under Diarier › Dokumentmallar.
err-memo-busy = Just nu skapas för många dokument. Försök igen om en stund.
err-memo-changed = Handlingen ändrades medan tjänsteskrivelsen skapades. Försök igen.
err-too-long = Texten är för lång.
template-title = Dokumentmall: tjänsteskrivelse
template-intro = Tjänsteskrivelser skapas som PDF/A från en Typst-mall. Kommunen kan ersätta Rådhus standardmall med en egen; mallen provas med exempeldata innan den sparas.
template-own = Kommunen använder en egen mall.
template-default = Kommunen använder Rådhus standardmall.
template-source = Mallens källtext (Typst)
template-source-hint = Ärendets uppgifter finns i sys.inputs.data som JSON; se kommentaren överst i standardmallen.
template-save = Prova och spara mallen
template-reset = Återgå till standardmallen
template-saved = Mallen är sparad.
err-template-compile = Mallen kunde inte användas och sparades inte:
err-template-size = Mallen får inte vara tom och högst 200 000 tecken.
field-source = Mall
registries-templates = Dokumentmallar

# Projekt
projects-title = Projekt
projects-hint = Ärenden som hör ihop, till exempel alla ärenden i en detaljplan
projects-intro = Ett projekt samlar ärenden som hör ihop, över diarier och enheter. Ett ärende ingår i högst ett projekt.
projects-none = Inga projekt ännu.
projects-cases = Ärenden i projektet
projects-new = Nytt projekt
projects-create = Skapa projekt
projects-no-cases = Inga ärenden som du får se.
projects-hidden = { $count ->
    [one] Ett ärende i projektet tillhör en enhet vars ärenden du inte får se.
   *[other] { $count } ärenden i projektet tillhör enheter vars ärenden du inte får se.
}
projects-close = Avsluta projektet
projects-reopen = Öppna projektet igen
project-status-open = Pågående
project-status-closed = Avslutat
project-title = Projekt
project-none = Ärendet ingår inte i något projekt.
project-none-option = Inget projekt
project-set = Spara projekt
field-project_id = Projekt
err-project-exists = Det finns redan ett projekt med det namnet.
err-project-unknown = Projektet finns inte.
err-project-closed = Projektet är avslutat och tar inte emot fler ärenden.
memo-write = Skriv tjänsteskrivelse
memo-new-version = Skriv en ny version av tjänsteskrivelsen

# Inkom och expedierad
field-received_on = Inkom datum
received-hint = För inkommande handlingar: dagen den kom in. Tomt betyder dagen den registreras.
field-dispatched = Expedierad
field-received-sent = Inkom/expedierad
received-short = inkom
dispatched-short = expedierad
err-received-future = En handling kan inte ha kommit in i framtiden.

# Notification templates (the municipality's templates page)
templates-module-cases = Ärenden och diarium
notification-watch-reminder = Påminnelse om bevakning

err-case-type-unrouted = Ärendetypen har ingen förvald enhet, så ärendet kan inte tas emot automatiskt. Be en diarieadministratör välja en enhet för ärendetypen under Diarier.
err-intake-case-type = Ärendetypen finns inte eller används inte längre, så ärendet kan inte tas emot.
err-routing-unit = Välj en enhet: en förvald handläggare kräver en förvald enhet.
registries-routing = Förval för inkommande ärenden
registries-routing-hint = Ärenden som kommer in utan handläggare, till exempel från en e-tjänst, registreras på denna enhet och handläggare.
registries-routing-save = Spara förval
registries-routing-none = Ingen förvald enhet

# Messages with the case's parties and completion requests (issue 12)
err-message-no-citizen = Ärendet har ingen part som är en privatperson med personnummer, så det finns ingen att skicka meddelandet till i Mina ärenden.
err-request-withdrawn = Begäran om komplettering har återkallats av handläggaren. Skriv ett vanligt meddelande om du vill lämna något ändå.
err-request-not-open = Begäran om komplettering är redan besvarad eller återkallad.
err-message-body = Skriv ett meddelande.
err-message-too-long = Meddelandet är för långt. Korta det till högst 5 000 tecken, eller bifoga en fil.
err-message-due = Välj sista dag för kompletteringen.
err-message-due-past = Sista dagen för kompletteringen kan inte ha passerat. Välj dagens datum eller ett senare.
err-message-kind = Välj om det är ett meddelande eller en begäran om komplettering.
messages-title = Meddelanden med parten
messages-hint = Meddelanden och begäran om komplettering visas för parten i Mina ärenden. Varje meddelande registreras som en handling i ärendet.
messages-none = Inga meddelanden ännu.
messages-caption = Meddelanden i ärendet, äldst först
messages-from-citizen = Från parten
messages-to-citizen = Till parten
messages-read = Läst { $at }
messages-unread = Inte läst ännu
messages-late = Kom in efter sista dagen
messages-open-request = Väntar på komplettering senast { $due }
messages-answered = Besvarad { $at }
messages-withdrawn = Återkallad { $at }
messages-withdraw = Återkalla begäran
messages-write = Skriv till parten
messages-kind = Typ
messages-kind-message = Meddelande
messages-kind-completion_request = Begäran om komplettering
messages-kind-answer = Svar från parten
messages-body = Meddelande
messages-due = Sista dag för komplettering
messages-due-hint = Bara för begäran om komplettering.
messages-send = Skicka
messages-record = Handling { $number }
handling-title = Handläggningstider
handling-hint = Utlovad och faktisk tid från att ett ärende kommer in till beslut, per ärendetyp.
handling-intro = Utlovad tid är ärendetypens måltid. Uppmätt tid räknas från att ärendet kom in till att det första beslutet expedierades till parten, för ärenden som fått beslut de senaste tolv månaderna; den visas när minst fem ärenden fått beslut. Samma tider visas för medborgaren i Mina ärenden.
handling-caption = Handläggningstider per ärendetyp, senaste tolv månaderna
handling-stated = Utlovad tid
handling-median = Median
handling-p90 = 9 av 10 inom
handling-decided = Beslut
handling-overdue = Öppna över utlovad tid
handling-slow = Över utlovad tid
handling-days = { $count ->
    [one] { $count } dag
   *[other] { $count } dagar
}
personal-cases = Ärenden

# Issue 20: the law in the code
field-drawn-up = Upprättad
record-registered-late = Sent registrerad
late-title = Sent registrerade handlingar
late-intro = Inkomna handlingar som registrerades en senare dag än de kom in. En inkommen handling ska registreras utan dröjsmål (offentlighets- och sekretesslagen 5 kap. 1 §).
late-none = Inga inkomna handlingar har registrerats sent.
late-caption = Inkomna handlingar som registrerades efter den dag de kom in, senast registrerade först
late-days = Dagar efter inkomst
late-by = Registrerad av
err-dispatch-no-recipient = Handlingen kan inte expedieras utan mottagare. Fyll i mottagaren först.
