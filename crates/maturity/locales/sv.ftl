## Digital mognad: eBlomlåda

mat-title = eBlomlåda – digital mognad
mat-hint = Årets självvärdering, resultat, jämförelse och åtgärdsplan
mat-public-title = Kommunens eBlomlåda
mat-public-hint = Hur digital är kommunen? Resultat av självvärderingen
mat-intro = eBlomlådan är SKR:s verktyg för självvärdering av kommunens digitala service och utveckling. Varje indikator besvaras med uppfyller inte alls, delvis eller helt (1, 2 eller 3 poäng).
mat-none-yet = Kommunen har ingen självvärdering ännu.
mat-assessments = Självvärderingar
mat-assessment = Självvärdering
mat-start = Starta en självvärdering
mat-start-button = Starta självvärderingen
mat-results = Resultat
mat-actions = Åtgärdsplan
mat-areas = Områden
mat-catalogue = Indikatorversion
mat-of = av
mat-yes = Ja
mat-no = Nej
mat-total = Totalt
mat-change = Förändring
mat-points-since = poäng sedan
mat-national = Snitt alla kommuner på plattformen
mat-national-total = Snitt alla kommuner på plattformen (poäng)
mat-position = Placering
mat-rank = Plats { $rank }
mat-flower = Blomlådan
mat-flower-title = Blomlådan: { $what }
mat-flower-desc-total = Totalt { $points } poäng.
mat-flower-caption = Varje blomma är ett målgruppsområde med ett blad per indikator, gräset är ledning och arbetssätt och jorden de tekniska förutsättningarna. Grönt = uppfyller helt, gult = delvis, rött = inte alls, grått = ej besvarad. Samma siffror finns i tabellen nedan.
mat-area-table = Poäng per område
mat-indicators = Indikatorer
mat-indicator-table = Svar per indikator
mat-others = Alla kommuner på plattformen
mat-others-answered = Så svarade alla kommuner på plattformen
mat-best = Bäst jämfört med alla kommuner på plattformen
mat-worst = Svagast jämfört med alla kommuner på plattformen
mat-vs-average = poäng mot snittet
mat-level-1 = Uppfyller inte alls
mat-level-2 = Uppfyller delvis
mat-level-3 = Uppfyller helt
mat-level-1-short = inte alls
mat-level-2-short = delvis
mat-level-3-short = helt
mat-unanswered = Ej besvarad
mat-status-draft = Utkast
mat-status-submitted = Inlämnad
mat-col-year = År
mat-col-status = Status
mat-col-points = Poäng
mat-col-answered = Besvarade
mat-col-public = Publik
mat-col-links = Visa
mat-col-area = Område
mat-col-place = Del av blomlådan
mat-col-respondent = Besvaras av
mat-col-indicator = Indikator
mat-col-text = Indikatorns text
mat-col-answer = Svar
mat-col-action = Planerad åtgärd
mat-col-owner = Ansvarig
mat-col-unit = Ansvarig enhet
mat-col-due = Klart senast
mat-place-flower = Blomma
mat-place-grass = Gräs
mat-place-soil = Jord
mat-public-yes = Ja, kommunens svar visas för alla
mat-public-no = Nej, bara jämförelsen (utan kommunens namn) använder svaren
mat-you-answer = du besvarar
mat-lead-answers = Digitaliseringsansvarig
mat-respondents = Vem besvarar vilket område
mat-assign = Spara
mat-submit-heading = Lämna in
mat-submit-hint = När alla indikatorer är besvarade lämnar du in självvärderingen. Den låses då och blir kommunens resultat för året. Du får bekräfta innan den lämnas in.
mat-submit = Lämna in självvärderingen
mat-publish-heading = Publicering
mat-publish-hint = Kommunen väljer själv om dess svar ska visas öppet på webbplatsen och som öppna data. Jämförelsen mellan kommuner visar bara andelar och snitt.
mat-publish = Publicera kommunens svar
mat-unpublish = Sluta publicera kommunens svar
mat-reopen-heading = Öppna för ändring
mat-reopen = Öppna självvärderingen igen
mat-history = Händelser
mat-event-created = Skapad
mat-event-submitted = Inlämnad
mat-event-reopened = Öppnad igen
mat-event-published = Publicerad
mat-event-unpublished = Avpublicerad
mat-unanswered-count = { $count ->
    [one] En indikator är inte besvarad:
   *[other] { $count } indikatorer är inte besvarade:
}
mat-area-intro = Välj för varje indikator hur väl kommunen uppfyller den. Kommentar, ansvarig enhet och planerad åtgärd hamnar i rapporten och åtgärdsplanen.
mat-read-only-submitted = Självvärderingen är inlämnad och kan inte ändras. En administratör kan öppna den igen.
mat-read-only-area = Det här området besvaras av någon annan.
mat-save-area = Spara området
mat-benchmark-published = { $count ->
    [one] En kommun har lämnat in och publicerat sina svar för samma år och version.
   *[other] { $count } kommuner har lämnat in och publicerat sina svar för samma år och version; jämförelsen bygger på dem.
}
mat-benchmark-too-few = { $count ->
    [0] Ingen kommun har lämnat in och publicerat sina svar för samma år och version ännu. Jämförelsen visas när minst fem kommuner har publicerat.
    [one] Bara en kommun har lämnat in och publicerat sina svar för samma år och version. Jämförelsen visas när minst fem kommuner har publicerat.
   *[other] Bara { $count } kommuner har lämnat in och publicerat sina svar för samma år och version. Jämförelsen visas när minst fem kommuner har publicerat.
}
mat-no-previous = Ingen tidigare inlämnad självvärdering att jämföra med.
mat-download-svg = Ladda ner blomlådan (SVG)
mat-download-xlsx = Ladda ner åtgärdsplanen (Excel)
mat-download-pdf = Rapport (PDF)
mat-report-failed = Rapporten kunde inte skapas.
mat-no-actions = Inga planerade åtgärder ännu.
mat-actions-count = { $count ->
    [one] En planerad åtgärd
   *[other] { $count } planerade åtgärder
}
mat-actions-sheet = Åtgärdsplan
mat-actions-heading = Åtgärdsplan eBlomlåda { $what }
mat-public-intro = Kommunens självvärdering i eBlomlådan: hur väl den digitala servicen, ledningen och de tekniska förutsättningarna uppfyller SKR:s indikatorer, jämfört med alla kommuner på plattformen som har publicerat sina svar.
mat-public-none = Kommunen har inte publicerat någon självvärdering.
mat-years = År
mat-open-data-csv = Öppna data (CSV)
mat-open-data-json = Öppna data (JSON)
mat-catalogues = eBlomlåda: indikatorversioner
mat-catalogue-versions = Versioner
mat-import = Importera en ny version
mat-import-hint = Klistra in CSV med kolumnerna id,area_key,area,level,indicator (som data/eblomlada-2017.csv). Områdesnycklarna är aldre, barn, foretagare, boende, kultur, allmanheten (blomma), ledning (gräs) och teknik (jord).
mat-catalogue-csv-label = Indikatorer (CSV)
mat-mapping-csv-label = Mappning (CSV)
mat-import-button = Importera
mat-catalogue-imported = { $count } indikatorer importerades.
mat-mappings = Mappningar mellan versioner
mat-no-mappings = Inga mappningar ännu. Utan mappning kan resultat från olika versioner inte jämföras.
mat-mapping-hint = Klistra in CSV med kolumnerna from_id,to_id: en rad per indikator i den äldre versionen och dess motsvarighet i den nyare.
mat-mapping-button = Spara mappningen
mat-mapping-imported = { $count } rader i mappningen sparades.
mat-mapping-lines = { $count ->
    [one] en indikator
   *[other] { $count } indikatorer
}
mat-csv-line = Rad { $line }
mat-csv-header = rubrikraden ska vara id,area_key,area,level,indicator (eller from_id,to_id)
mat-csv-malformed = fel antal kolumner
mat-csv-duplicate = id { $value } finns redan
mat-csv-unknown-area = okänt område { $value }
mat-csv-unknown-place = okänd nivå { $value } (blomma, gräs eller jord)
mat-csv-empty = id, område och indikatortext måste finnas
mat-csv-area-conflict = området { $value } har två olika namn
mat-csv-no-indicators = filen innehåller inga indikatorer
mat-csv-unknown-indicator = okänd indikator { $value }

perm-maturity-lead = eBlomlåda: digitaliseringsansvarig (starta, lämna in, publicera)
perm-maturity-answer = eBlomlåda: besvara tilldelade områden
perm-maturity-admin = eBlomlåda: öppna inlämnade självvärderingar igen

field-year = År
field-reason = Skäl
field-answer_comment = Kommentar
field-version = Version
field-csv = CSV
field-from = Från version
field-to = Till version
field-responsible_unit = Ansvarig enhet
field-planned_action = Planerad åtgärd
field-action_owner = Ansvarig för åtgärden
field-due_date = Klart senast
field-indicator = Indikator
field-user_id = Användare
field-area = Område

err-mat-indicator = indikatorn finns inte i området
err-mat-date = datumet ska skrivas ÅÅÅÅ-MM-DD
err-mat-too-long = texten är för lång (högst 2 000 tecken)
err-mat-area = Välj ett område i listan.
err-mat-respondent = Välj en användare som kan besvara självvärderingen.
err-mat-version = Skriv versionen med bokstäver, siffror, punkt och bindestreck, högst 20 tecken.
err-mat-catalogue-name = Skriv indikatorversionens namn.
mat-version-hint = Bokstäver, siffror, punkt och bindestreck, högst 20 tecken, till exempel 2019.
err-mat-same-version = Välj två olika versioner.

err-MAT-001 = Svaret måste vara 1, 2 eller 3 (uppfyller inte alls, delvis eller helt).
err-MAT-002 = Självvärderingen kan inte lämnas in förrän alla indikatorer är besvarade.
err-MAT-003 = Självvärderingen är inlämnad och kan inte ändras. En administratör kan öppna den igen.
err-MAT-004 = CSV-filen innehåller fel och importerades inte. Inget har ändrats.
err-MAT-005 = Det finns redan en indikatorversion med det namnet. Skriv en annan version.
err-MAT-006 = Resultaten kan inte jämföras: de bygger på olika indikatorversioner och det finns ingen mappning mellan dem.
err-MAT-007 = Det finns redan en självvärdering för det året. Skriv ett annat år.
err-MAT-008 = Det här området besvaras av någon annan.
err-MAT-009 = Skriv varför självvärderingen öppnas igen.
err-MAT-010 = Självvärderingen är inte inlämnad.
err-MAT-011 = Mappningen innehåller fel och sparades inte. Inget har ändrats.
err-MAT-012 = Skriv året med fyra siffror, mellan 2010 och 2100.
err-MAT-013 = Indikatorversionen finns inte. Välj en version i listan.
err-MAT-014 = Åtgärden är redan ett ärende.
mat-col-case = Ärende
mat-action-to-case = Gör till ärende
mat-action-case-type = Ärendetyp för åtgärden
mat-err-case-type = Välj en ärendetyp.
err-MAT-015 = Datumet för när en åtgärd ska vara klar har redan passerat. Välj dagens datum eller ett senare.
mat-saved = Området { $area } är sparat.
mat-unsaved-note = Det du fyller i sparas först när du trycker på Spara området. Spara innan du lämnar sidan, annars försvinner ändringarna. Varje område sparas för sig.
mat-many-indicators = { $count } indikatorer i området. Det du fyller i sparas först när du trycker på Spara området längst ner på sidan, så spara innan du lämnar sidan.
mat-overdue = Försenad
mat-overdue-count = { $count ->
    [one] En åtgärd är försenad: datumet då den skulle vara klar har passerat.
   *[other] { $count } åtgärder är försenade: datumet då de skulle vara klara har passerat.
}
mat-col-unanswered = Ej besvarade
mat-draft-note = { $count ->
    [0] Självvärderingen är ett utkast. Alla indikatorer är besvarade.
    [one] Självvärderingen är ett utkast och en indikator är inte besvarad. Den räknas inte som noll poäng: andelarna räknar bara de besvarade indikatorerna.
   *[other] Självvärderingen är ett utkast och { $count } indikatorer är inte besvarade. De räknas inte som noll poäng: andelarna räknar bara de besvarade indikatorerna.
}
mat-about-indicators = Indikatorernas koder och version
mat-about-indicators-text = SKR:s indikatorer har koder (till exempel EB17-01) som används i öppna data. Svaren bygger på indikatorversionen { $version }.
mat-col-code = Kod
mat-done-submitted = Självvärderingen är inlämnad. Svaren är låsta.
mat-done-published = Kommunens svar är publicerade.
mat-done-unpublished = Kommunens svar publiceras inte längre.
mat-done-reopened = Självvärderingen är öppen för ändringar igen.
mat-done-assigned = Ändringen av vem som besvarar området är sparad.
mat-confirm-happens = Det här händer
mat-confirm-not-undone = Det här kan inte ångras
mat-confirm-back = Tillbaka till självvärderingen utan att ändra något
mat-confirm-submit-total = Självvärderingen lämnas in med
mat-confirm-submit-title = Lämna in självvärderingen { $year }?
mat-confirm-submit-effect-1 = Svaren låses. Varken du eller de som besvarar områdena kan ändra dem.
mat-confirm-submit-effect-2 = Självvärderingen blir kommunens resultat för { $year }: rapporten är inte längre ett utkast och resultatet jämförs med kommunens tidigare år. Är kommunens svar publicerade räknas de också med i jämförelsen med andra kommuner.
mat-confirm-submit-effect-3 = Inlämningen står i självvärderingens händelser med ditt namn.
mat-confirm-submit-final = Du kan inte själv ångra inlämningen. Bara en administratör kan öppna självvärderingen igen, och måste då skriva ett skäl som sparas i händelserna.
mat-confirm-submit-button = Ja, lämna in självvärderingen
mat-confirm-publish-title = Publicera kommunens svar för { $year }?
mat-confirm-publish-effect-1 = Kommunens svar för { $year } visas för alla på kommunens sida om eBlomlådan, med kommunens namn, så snart självvärderingen är inlämnad.
mat-confirm-publish-effect-2 = Svaren blir öppna data (CSV och JSON) som vem som helst kan ladda ner och använda, och räknas med i jämförelsen med andra kommuner på plattformen.
mat-confirm-publish-effect-3 = Publiceringen står i självvärderingens händelser med ditt namn.
mat-confirm-publish-final = Du kan sluta publicera svaren senare, men det som någon redan har sett eller laddat ner kan inte tas tillbaka.
mat-confirm-publish-button = Ja, publicera kommunens svar

# Issue 18: the area page's answers, at the field
mat-answer-legend = Svar
mat-indicator-field = Indikator { $indicator }
err-mat-level = Välj om kommunen uppfyller indikatorn inte alls, delvis eller helt.
err-mat-due-date = Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-31.
err-mat-due-past = Datumet har redan passerat. Välj dagens datum eller ett senare.
err-mat-text-long = Korta texten till högst 2 000 tecken.
