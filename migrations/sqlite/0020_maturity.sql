-- Digital maturity (eBlomlåda): indicator catalogues, assessments, answers. Citus-ready like 0001.
-- Catalogues, their areas and indicators and the mappings between versions are shared by every
-- municipality (reference tables); assessments and answers belong to one municipality.

CREATE TABLE maturity_catalogue (
    version TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE maturity_area (
    catalogue_version TEXT NOT NULL REFERENCES maturity_catalogue (version),
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    place TEXT NOT NULL CHECK (place IN ('flower', 'grass', 'soil')),
    position INTEGER NOT NULL,
    PRIMARY KEY (catalogue_version, key)
);

CREATE TABLE maturity_indicator (
    catalogue_version TEXT NOT NULL,
    id TEXT NOT NULL,
    area_key TEXT NOT NULL,
    text TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (catalogue_version, id),
    FOREIGN KEY (catalogue_version, area_key) REFERENCES maturity_area (catalogue_version, key)
);

-- A crosswalk between two versions: the older indicator and its counterpart in the newer.
CREATE TABLE maturity_mapping (
    from_version TEXT NOT NULL,
    from_indicator TEXT NOT NULL,
    to_version TEXT NOT NULL,
    to_indicator TEXT NOT NULL,
    PRIMARY KEY (from_version, from_indicator, to_version),
    UNIQUE (from_version, to_version, to_indicator),
    FOREIGN KEY (from_version, from_indicator) REFERENCES maturity_indicator (catalogue_version, id),
    FOREIGN KEY (to_version, to_indicator) REFERENCES maturity_indicator (catalogue_version, id)
);

CREATE TABLE maturity_assessment (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    year INTEGER NOT NULL,
    catalogue_version TEXT NOT NULL REFERENCES maturity_catalogue (version),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    -- The municipality's choice: may others see its own answers (the benchmark is anonymous).
    public BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    submitted_at TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, year)
);
CREATE INDEX maturity_assessment_benchmark ON maturity_assessment (year, catalogue_version, status);

-- Who answers which area of an assessment (besides the lead, who may answer all).
CREATE TABLE maturity_respondent (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    assessment_id BLOB NOT NULL,
    area_key TEXT NOT NULL,
    user_id BLOB NOT NULL,
    PRIMARY KEY (tenant_id, assessment_id, area_key),
    FOREIGN KEY (tenant_id, assessment_id) REFERENCES maturity_assessment (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);

CREATE TABLE maturity_answer (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    assessment_id BLOB NOT NULL,
    indicator_id TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    comment TEXT NOT NULL DEFAULT '',
    responsible_unit TEXT NOT NULL DEFAULT '',
    planned_action TEXT NOT NULL DEFAULT '',
    action_owner TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    answered_by BLOB,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, assessment_id, indicator_id),
    FOREIGN KEY (tenant_id, assessment_id) REFERENCES maturity_assessment (tenant_id, id)
);

-- The assessment's history: created, submitted, reopened (with the reason), published.
CREATE TABLE maturity_event (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    assessment_id BLOB NOT NULL,
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor_name TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, assessment_id) REFERENCES maturity_assessment (tenant_id, id)
);
CREATE INDEX maturity_event_assessment ON maturity_event (tenant_id, assessment_id, at);

-- The shipped catalogue: eBlomlåda 2017 (data/eblomlada-2017.csv), 88 indicators in 8 areas.
INSERT INTO maturity_catalogue (version, name, created_at) VALUES ('2017', 'eBlomlåda 2017', '2017-01-01T00:00:00Z');
INSERT INTO maturity_area (catalogue_version, key, name, place, position) VALUES ('2017', 'aldre', 'Äldre & personer i behov av omsorg', 'flower', 0);
INSERT INTO maturity_area (catalogue_version, key, name, place, position) VALUES ('2017', 'barn', 'Barn & elever', 'flower', 1);
INSERT INTO maturity_area (catalogue_version, key, name, place, position) VALUES ('2017', 'foretagare', 'Företagare', 'flower', 2);
INSERT INTO maturity_area (catalogue_version, key, name, place, position) VALUES ('2017', 'boende', 'Boende & trafikanter', 'flower', 3);
INSERT INTO maturity_area (catalogue_version, key, name, place, position) VALUES ('2017', 'kultur', 'Kulturintresserade, fritidsutövare & besökare', 'flower', 4);
INSERT INTO maturity_area (catalogue_version, key, name, place, position) VALUES ('2017', 'allmanheten', 'Allmänheten', 'flower', 5);
INSERT INTO maturity_area (catalogue_version, key, name, place, position) VALUES ('2017', 'ledning', 'Ledning, arbetssätt & utveckling', 'grass', 6);
INSERT INTO maturity_area (catalogue_version, key, name, place, position) VALUES ('2017', 'teknik', 'Tekniska förutsättningar', 'soil', 7);
INSERT INTO maturity_indicator (catalogue_version, id, area_key, text, position) VALUES
    ('2017', 'EB17-01', 'aldre', 'Privatpersoner kan via digital tjänst göra en kvalitetsjämförelse av särskilda boenden inom kommunen.', 1),
    ('2017', 'EB17-02', 'aldre', 'Privatpersoner kan via digital tjänst göra en kvalitetsjämförelse av utförare av hemtjänst inom kommunen.', 2),
    ('2017', 'EB17-03', 'aldre', 'Privatpersoner kan via digital tjänst ansöka om stöd från äldreomsorgen.', 3),
    ('2017', 'EB17-04', 'aldre', 'Privatpersoner kan som anhörig via digital tjänst ta del av genomförda aktiviteter och information ifrån äldreomsorgen.', 4),
    ('2017', 'EB17-05', 'aldre', 'Privatpersoner har tillgång till digital journal med samordnad vårdplanering.', 5),
    ('2017', 'EB17-06', 'aldre', 'Privatpersoner erbjuds digitala trygghetslarm med obruten digital larmkedja.', 6),
    ('2017', 'EB17-07', 'aldre', 'Privatpersoner erbjuds omsorg med stöd av välfärdsteknik (t.ex. tillsyn via kamera, sensorer och/eller robotar).', 7),
    ('2017', 'EB17-08', 'aldre', 'Privatpersoner kan via digital tjänst ansöka om ekonomiskt bistånd från kommunen (t.ex. försörjningsstöd).', 8),
    ('2017', 'EB17-09', 'ledning', 'Kommunen verkar efter principen digitalt först, att digitala tjänster ska, när det är möjligt och relevant, vara förstahandsval i kontakten med medborgare och företag.', 9),
    ('2017', 'EB17-10', 'ledning', 'Kommunen beskriver i styrande dokument hur digitaliseringen ska bidra till nytta i kommunens verksamheter.', 10),
    ('2017', 'EB17-11', 'ledning', 'Kommunen har en styrningsmodell som stimulerar till verksamhetsutveckling genom digitalisering.', 11),
    ('2017', 'EB17-12', 'ledning', 'Kommunen följer upp sin digitaliseringsutveckling.', 12),
    ('2017', 'EB17-13', 'teknik', 'Kommunen har nått regeringens bredbandsmål att 90 procent av hushållen ska ha tillgång till bredband på minst 100 mbit/s.', 13),
    ('2017', 'EB17-14', 'teknik', 'Kommunen har en bredbandsstrategi för att tillgodose en infrastruktur med tillräcklig kapacitet för nuvarande och framtida behov kring välfärdstjänster (t.ex. för vård i hemmet).', 14),
    ('2017', 'EB17-15', 'ledning', 'Kommunen har inrättat en generell kundcenterfunktion för att ta emot och fördela ärenden samt följa upp sina ärendeströmmar.', 15),
    ('2017', 'EB17-16', 'ledning', 'Kommunen deltar i samarbeten för att utveckla och implementera digitala tjänster.', 16),
    ('2017', 'EB17-17', 'ledning', 'Kommunen deltar i samarbeten för att upphandla digitala tjänster och/eller välfärdsteknologi.', 17),
    ('2017', 'EB17-18', 'ledning', 'Kommunen samarbetar med näringsliv, akademi och/eller andra relevanta aktörer för att stötta digitaliseringsutvecklingen i kommunen.', 18),
    ('2017', 'EB17-19', 'ledning', 'Kommunen deltar i samarbeten för ökat informationsutbyte med andra aktörer efter etablerade principer (t.ex. E-delegationens vägledning för digital samverkan, säkert informationsutbyte inom ehälsa).', 19),
    ('2017', 'EB17-20', 'ledning', 'Kommunen ger medarbetare möjlighet att öka sin digitala kompetens och kunskap för att utveckla verksamheten.', 20),
    ('2017', 'EB17-21', 'ledning', 'Kommunen ger chefer möjlighet att öka sin digitala kompetens och kunskap för att utveckla och leda verksamheten.', 21),
    ('2017', 'EB17-22', 'ledning', 'Kommunen ger förtroendevalda möjlighet att öka sin digitala kompetens och kunskap för att utveckla och leda verksamheten.', 22),
    ('2017', 'EB17-23', 'ledning', 'Kommunen utvärderar relevant digital kompetens i sin rekryteringsprocess.', 23),
    ('2017', 'EB17-24', 'ledning', 'Kommunen arbetar med att öka den digitala delaktigheten hos invånarna i kommunen.', 24),
    ('2017', 'EB17-25', 'ledning', 'Kommunen ger medarbetare, chefer och förtroendevalda möjlighet att öka sin kompetens kring förändringsledning för att öka kvalitén och hastigheten i implementering av digitala lösningar.', 25),
    ('2017', 'EB17-26', 'ledning', 'Kommunen använder etablerade standarder vid upphandling och utveckling av digitala tjänster.', 26),
    ('2017', 'EB17-27', 'ledning', 'Kommunen bidrar med resurser och kompetens till samarbeten kring grundläggande förutsättningar för digital utveckling (t.ex. standarder, arkitektur och juridik).', 27),
    ('2017', 'EB17-28', 'ledning', 'Kommunen utvecklar digitala tjänster utifrån invånarnas behov (t.ex. genom ett livshändelseperspektiv).', 28),
    ('2017', 'EB17-29', 'ledning', 'Kommunen involverar invånarna i utveckling och uppföljning av digitala tjänster.', 29),
    ('2017', 'EB17-30', 'ledning', 'Kommunen följer systematiskt upp användbarheten i de digitala tjänsterna.', 30),
    ('2017', 'EB17-31', 'ledning', 'Kommunen arbetar strukturerat med informationshantering för att möjliggöra ökad informationsförsörjning, informationssäkerhet, öppna data och långtidsbevarande av digital information.', 31),
    ('2017', 'EB17-32', 'ledning', 'Kommunen publicerar information i form av öppen data på ett sätt som gör den tillgänglig för andra (t.ex. externa tjänsteleverantörer).', 32),
    ('2017', 'EB17-33', 'ledning', 'Kommunen har infört arkiv för digitalt långtidsbevarande för sina verksamhetskritiska informationsresurser/system (s.k. e-arkiv).', 33),
    ('2017', 'EB17-34', 'ledning', 'Kommunen använder säker digital brevlåda för känslig information till privatpersoner och företagare (t ex Mina Meddelanden).', 34),
    ('2017', 'EB17-35', 'ledning', 'Kommunen har utsett ägare för verksamhetskritiska informationsresurser/system.', 35),
    ('2017', 'EB17-36', 'ledning', 'Kommunen har informationsklassat sina verksamhetskritiska informationsresurser/system (t.ex. genom att använda SKL:s verktyg KLASSA).', 36),
    ('2017', 'EB17-37', 'ledning', 'Kommunen har kontinuitetutvecklingsplaner för sina verksamhetskritiska informationsresurser/system.', 37),
    ('2017', 'EB17-38', 'ledning', 'Kommunen har antagit styrande dokument för informationssäkerhet som fastställer ansvar, mål, inriktning, styrning och uppföljning (t.ex. genom en informationssäkerhetspolicy).', 38),
    ('2017', 'EB17-39', 'ledning', 'Kommunen utvärderar och följer upp den kommunövergripande digitala utvecklingen inom förskolor och skolor (t.ex. genom LIKA, it-tempen för skola och förskola).', 39),
    ('2017', 'EB17-40', 'ledning', 'Kommunen utvärderar och följer upp den digitala utvecklingen inom socialtjänst och omsorg (t.ex. genom att använda LIKA, ittempen för socialtjänsten).', 40),
    ('2017', 'EB17-41', 'ledning', 'Kommunen har kvalitetsmål för leverans av IT.', 41),
    ('2017', 'EB17-42', 'ledning', 'Kommunens verksamheter kan följa upp sina kostnader för IT och leverans av IT.', 42),
    ('2017', 'EB17-43', 'teknik', 'Kommunen har en samordnad funktion för säker inloggning som möjliggör tvåfaktorsautentisering.', 43),
    ('2017', 'EB17-44', 'teknik', 'Kommunen har en funktion för digital signering/underskrift.', 44),
    ('2017', 'EB17-45', 'teknik', 'Kommunen kravställer tillgänglighet i sin webb (t.ex. WCAG 2.0).', 45),
    ('2017', 'EB17-46', 'teknik', 'Kommunen samverkar med andra kommuner och/eller landsting kring gemensam IT-drift och förvaltning.', 46),
    ('2017', 'EB17-47', 'teknik', 'Kommunens IT-miljö är dokumenterad.', 47),
    ('2017', 'EB17-48', 'teknik', 'Kommunen erbjuder öppet och trådlöst internet i alla sina verksamheter.', 48),
    ('2017', 'EB17-49', 'teknik', 'Kommunen har en utvecklingsplan för IT-miljön i syfte att möta verksamhetens behov.', 49),
    ('2017', 'EB17-50', 'teknik', 'Kommunen arbetar aktivt med förvaltning av it-system (t.ex. PM3).', 50),
    ('2017', 'EB17-51', 'teknik', 'Kommunens digitala tjänster kan användas på mobila plattformar med bibehållen funktionalitet.', 51),
    ('2017', 'EB17-52', 'teknik', 'Kommunen har funktioner för att digitalt hantera små och stora betalströmmar (t.ex. e-faktura, kortbetalning).', 52),
    ('2017', 'EB17-53', 'barn', 'Privatpersoner kan via en digital tjänst göra en samlad kvalitetsjämförelse av kommunens förskolor och skolor.', 53),
    ('2017', 'EB17-54', 'barn', 'Privatpersoner kan via digital tjänst ansöka och få besked om antagning till kommunens förskolor och skolor.', 54),
    ('2017', 'EB17-55', 'barn', 'Privatpersoner kan via digital tjänst samlat ta del av information och kommunicera med skola (t.ex. kring dokumentation, bedömning, utvecklingsplaner, schema).', 55),
    ('2017', 'EB17-56', 'barn', 'Privatpersoner kan via digital tjänst samlat meddela och ändra behov som rör förskola och skola (t.ex. kring frånvaro, vistelsetid, skolskjuts, ledighetsansökan).', 56),
    ('2017', 'EB17-57', 'barn', 'Elever ges förutsättningar för att använda digital teknik och digitala lärresurser i sitt lärande.', 57),
    ('2017', 'EB17-58', 'foretagare', 'Företagare kan via sammanhållen digital tjänst få information om att starta och driva företag samt söka olika tillstånd kopplat till sin verksamhet (t.ex. via tillståndsguide).', 58),
    ('2017', 'EB17-59', 'foretagare', 'Företagare kan via digital tjänst ansöka om olika serveringstillstånd.', 59),
    ('2017', 'EB17-60', 'foretagare', 'Företagare kan via digital tjänst registrera livsmedelsverksamhet.', 60),
    ('2017', 'EB17-61', 'foretagare', 'Företagare kan via digital tjänst anmäla om hälsoskyddslokaler.', 61),
    ('2017', 'EB17-62', 'foretagare', 'Företagare kan via digital tjänst anmäla om miljöfarlig verksamhet.', 62),
    ('2017', 'EB17-63', 'foretagare', 'Företagare kan via digital tjänst eller kalendarium se när olika tillstånd gå ut och få notifiering om att åtgärd behövs.', 63),
    ('2017', 'EB17-64', 'boende', 'Privatpersoner och företagare kan via digital tjänst ansöka om bygglov.', 64),
    ('2017', 'EB17-65', 'boende', 'Privatpersoner och företagare kan via digital tjänst beställa nybyggnadskarta.', 65),
    ('2017', 'EB17-66', 'boende', 'Privatpersoner och företagare kan via digital tjänst ansöka om grävningstillstånd.', 66),
    ('2017', 'EB17-67', 'boende', 'Privatpersoner kan via digital tjänst ansöka om parkeringstillstånd för rörelsehindrad.', 67),
    ('2017', 'EB17-68', 'boende', 'Privatpersoner kan via digital tjänst delge information och söka tillstånd som rör boendet (t.ex. sophantering, installationer i hemmet, parkering).', 68),
    ('2017', 'EB17-69', 'boende', 'Privatpersoner kan via digital tjänst anmäla, ändra behov av och följa upp sin sophantering.', 69),
    ('2017', 'EB17-70', 'boende', 'Privatpersoner kan via digital tillgänglighetsguide se den fysiska tillgängligheten i de offentliga lokalerna i kommunen.', 70),
    ('2017', 'EB17-71', 'boende', 'Privatpersoner kan via digital tjänst lämna synpunkter på samhällsbyggandet i kommunen.', 71),
    ('2017', 'EB17-72', 'boende', 'Privatpersoner kan via digital tjänst se status och lämna synpunkter på planerade och pågående ändringar/arbeten inom kommunen (t.ex. parkmiljö, snöröjning, gatuarbeten).', 72),
    ('2017', 'EB17-73', 'kultur', 'Privatpersoner kan via digital tjänst ansöka och betala kulturskolor.', 73),
    ('2017', 'EB17-74', 'kultur', 'Privatpersoner kan via digital tjänst ansöka och betala simskola.', 74),
    ('2017', 'EB17-75', 'kultur', 'Privatpersoner och organisationer kan via digital tjänst ansöka om kulturstöd/kulturbidrag.', 75),
    ('2017', 'EB17-76', 'kultur', 'Privatpersoner och organisationer kan via digital tjänst se lediga tider och boka kommunens anläggningar (t.ex. sim- och idrottshallar).', 76),
    ('2017', 'EB17-77', 'kultur', 'Privatpersoner och föreningar kan få tillgång till kommunens anläggningar med hjälp av digitala nycklar (t.ex. via mobiltelefon, droppar eller taggar).', 77),
    ('2017', 'EB17-78', 'kultur', 'Organisationer kan via digital tjänst söka föreningsbidrag.', 78),
    ('2017', 'EB17-79', 'kultur', 'Organisationer kan via digital tjänst söka aktivitetsbidrag och rapportera aktiviteter (t.ex. aktivitetskort).', 79),
    ('2017', 'EB17-80', 'kultur', 'Privatpersoner kan via digital tjänst se status och få information om kommunens kultur- och fritidsutbud (t.ex. bad, skid/motionsspår, cykelvägar, fiske, sevärdheter, bibliotek).', 80),
    ('2017', 'EB17-81', 'kultur', 'Privatpersoner kan ta del av och boka/anmäla sig till kommunens kultur- och fritidsutbud via digitalt kalendarium.', 81),
    ('2017', 'EB17-82', 'kultur', 'Privatpersoner kan via digital tjänst låna digitala medier från kommunens bibliotek (t.ex. e-böcker och digitala tidningar).', 82),
    ('2017', 'EB17-83', 'allmanheten', 'Privatpersoner kan via digital tjänst ta del av och söka offentliga handlingar och protokoll.', 83),
    ('2017', 'EB17-84', 'allmanheten', 'Privatpersoner kan via webbsändning eller digital tjänst följa och ta del av kommunfullmäktiges möten och/eller andra liknande möten.', 84),
    ('2017', 'EB17-85', 'allmanheten', 'Privatpersoner kan via digital tjänst samlat lämna felanmälningar och synpunkter och få återkoppling.', 85),
    ('2017', 'EB17-86', 'allmanheten', 'Privatpersoner kan via digital tjänst föra fram och ge stöd till förslag samt följa hur förslagen hanteras av politiken (t.ex. e-petition).', 86),
    ('2017', 'EB17-87', 'allmanheten', 'Privatpersoner kan via digital karta se status och söka kommunens service.', 87),
    ('2017', 'EB17-88', 'allmanheten', 'Privatpersoner kan få störningsinformation via SMS, sociala medier eller digital tjänst.', 88);
