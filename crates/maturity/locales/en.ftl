## Digital maturity: eBlomlåda

mat-title = eBlomlåda – digital maturity
mat-hint = This year's self-assessment, results, benchmark and action plan
mat-public-title = The municipality's eBlomlåda
mat-public-hint = How digital is the municipality? Results of the self-assessment
mat-intro = eBlomlådan is SKR's self-assessment of a municipality's digital services and development. Each indicator is answered not met, partly met or fully met (1, 2 or 3 points).
mat-none-yet = The municipality has no self-assessment yet.
mat-assessments = Self-assessments
mat-assessment = Self-assessment
mat-start = Start a self-assessment
mat-start-button = Start the self-assessment
mat-results = Results
mat-actions = Action plan
mat-areas = Areas
mat-catalogue = Indicator version
mat-of = of
mat-yes = Yes
mat-no = No
mat-total = Total
mat-change = Change
mat-points-since = points since
mat-national = Average of all municipalities on the platform
mat-national-total = Average of all municipalities on the platform (points)
mat-position = Position
mat-rank = Place { $rank }
mat-flower = The flower box
mat-flower-title = The flower box: { $what }
mat-flower-desc-total = { $points } points in total.
mat-flower-caption = Each flower is a target-group area with one petal per indicator, the grass is leadership and ways of working, the soil the technical prerequisites. Green = fully met, yellow = partly, red = not met, grey = not answered. The table below has the same figures.
mat-area-table = Points per area
mat-indicators = Indicators
mat-indicator-table = Answers per indicator
mat-others = All municipalities on the platform
mat-others-answered = How all municipalities on the platform answered
mat-best = Best compared with all municipalities on the platform
mat-worst = Weakest compared with all municipalities on the platform
mat-vs-average = points against the average
mat-level-1 = Not met
mat-level-2 = Partly met
mat-level-3 = Fully met
mat-level-1-short = not met
mat-level-2-short = partly
mat-level-3-short = fully
mat-unanswered = Not answered
mat-status-draft = Draft
mat-status-submitted = Submitted
mat-col-year = Year
mat-col-status = Status
mat-col-points = Points
mat-col-answered = Answered
mat-col-public = Public
mat-col-links = Show
mat-col-area = Area
mat-col-place = Part of the flower box
mat-col-respondent = Answered by
mat-col-indicator = Indicator
mat-col-text = Indicator text
mat-col-answer = Answer
mat-col-action = Planned action
mat-col-owner = Owner
mat-col-unit = Responsible unit
mat-col-due = Due
mat-place-flower = Flower
mat-place-grass = Grass
mat-place-soil = Soil
mat-public-yes = Yes, the municipality's answers are shown to everyone
mat-public-no = No, only the benchmark (without the municipality's name) uses the answers
mat-you-answer = you answer
mat-lead-answers = Digitalisation lead
mat-respondents = Who answers which area
mat-assign = Save
mat-submit-heading = Submit
mat-submit-hint = When every indicator is answered, submit the self-assessment. It is then locked and becomes the municipality's result for the year. You confirm before it is submitted.
mat-submit = Submit the self-assessment
mat-publish-heading = Publishing
mat-publish-hint = The municipality decides whether its answers are shown openly on its website and as open data. The benchmark between municipalities only shows shares and averages.
mat-publish = Publish the municipality's answers
mat-unpublish = Stop publishing the municipality's answers
mat-reopen-heading = Reopen for changes
mat-reopen = Reopen the self-assessment
mat-history = History
mat-event-created = Created
mat-event-submitted = Submitted
mat-event-reopened = Reopened
mat-event-published = Published
mat-event-unpublished = Unpublished
mat-unanswered-count = { $count ->
    [one] One indicator is not answered:
   *[other] { $count } indicators are not answered:
}
mat-area-intro = For each indicator, choose how well the municipality meets it. Comment, responsible unit and planned action go into the report and the action plan.
mat-read-only-submitted = The self-assessment has been submitted and cannot be changed. An administrator can reopen it.
mat-read-only-area = Someone else answers this area.
mat-save-area = Save the area
mat-benchmark-published = { $count ->
    [one] One municipality submitted and published its answers for the same year and version.
   *[other] { $count } municipalities submitted and published their answers for the same year and version; the benchmark is based on them.
}
mat-benchmark-too-few = { $count ->
    [0] No municipality has submitted and published its answers for the same year and version yet. The benchmark is shown once at least five have published.
    [one] Only one municipality has submitted and published its answers for the same year and version. The benchmark is shown once at least five have published.
   *[other] Only { $count } municipalities have submitted and published their answers for the same year and version. The benchmark is shown once at least five have published.
}
mat-no-previous = No earlier submitted self-assessment to compare with.
mat-download-svg = Download the flower box (SVG)
mat-download-xlsx = Download the action plan (Excel)
mat-download-pdf = Report (PDF)
mat-report-failed = The report could not be made.
mat-no-actions = No planned actions yet.
mat-actions-count = { $count ->
    [one] One planned action
   *[other] { $count } planned actions
}
mat-actions-sheet = Action plan
mat-actions-heading = eBlomlåda action plan { $what }
mat-public-intro = The municipality's eBlomlåda self-assessment: how well its digital services, leadership and technical prerequisites meet SKR's indicators, compared with all municipalities on the platform that have published their answers.
mat-public-none = The municipality has not published a self-assessment.
mat-years = Years
mat-open-data-csv = Open data (CSV)
mat-open-data-json = Open data (JSON)
mat-catalogues = eBlomlåda: indicator versions
mat-catalogue-versions = Versions
mat-import = Import a new version
mat-import-hint = Paste CSV with the columns id,area_key,area,level,indicator (like data/eblomlada-2017.csv). Area keys are aldre, barn, foretagare, boende, kultur, allmanheten (blomma), ledning (gräs) and teknik (jord).
mat-catalogue-csv-label = Indicators (CSV)
mat-mapping-csv-label = Mapping (CSV)
mat-import-button = Import
mat-catalogue-imported = { $count } indicators were imported.
mat-mappings = Mappings between versions
mat-no-mappings = No mappings yet. Without a mapping, results of different versions cannot be compared.
mat-mapping-hint = Paste CSV with the columns from_id,to_id: one line per indicator of the older version and its counterpart in the newer.
mat-mapping-button = Save the mapping
mat-mapping-imported = { $count } mapping lines were saved.
mat-mapping-lines = { $count ->
    [one] one indicator
   *[other] { $count } indicators
}
mat-csv-line = Line { $line }
mat-csv-header = the header must be id,area_key,area,level,indicator (or from_id,to_id)
mat-csv-malformed = wrong number of columns
mat-csv-duplicate = id { $value } already exists
mat-csv-unknown-area = unknown area { $value }
mat-csv-unknown-place = unknown level { $value } (blomma, gräs or jord)
mat-csv-empty = id, area and indicator text are required
mat-csv-area-conflict = area { $value } has two different names
mat-csv-no-indicators = the file has no indicators
mat-csv-unknown-indicator = unknown indicator { $value }

perm-maturity-lead = eBlomlåda: digitalisation lead (start, submit, publish)
perm-maturity-answer = eBlomlåda: answer assigned areas
perm-maturity-admin = eBlomlåda: reopen submitted self-assessments

field-year = Year
field-reason = Reason
field-answer_comment = Comment
field-version = Version
field-csv = CSV
field-from = From version
field-to = To version
field-responsible_unit = Responsible unit
field-planned_action = Planned action
field-action_owner = Owner of the action
field-due_date = Due
field-indicator = Indicator
field-user_id = User
field-area = Area

err-mat-indicator = the indicator is not in this area
err-mat-date = write the date as YYYY-MM-DD
err-mat-too-long = the text is too long (at most 2,000 characters)
err-mat-area = Choose an area from the list.
err-mat-respondent = Choose a user who can answer the self-assessment.
err-mat-version = Write the version with letters, digits, dot and hyphen, at most 20 characters.
err-mat-catalogue-name = Write the indicator version's name.
mat-version-hint = Letters, digits, dot and hyphen, at most 20 characters, for example 2019.
err-mat-same-version = Choose two different versions.

err-MAT-001 = The answer must be 1, 2 or 3 (not met, partly or fully met).
err-MAT-002 = The self-assessment cannot be submitted until every indicator is answered.
err-MAT-003 = The self-assessment has been submitted and cannot be changed. An administrator can reopen it.
err-MAT-004 = The CSV file has errors and was not imported. Nothing was changed.
err-MAT-005 = An indicator version with that name already exists. Write another version.
err-MAT-006 = The results cannot be compared: they use different indicator versions and there is no mapping between them.
err-MAT-007 = There is already a self-assessment for that year. Write another year.
err-MAT-008 = Someone else answers this area.
err-MAT-009 = Write why the self-assessment is reopened.
err-MAT-010 = The self-assessment has not been submitted.
err-MAT-011 = The mapping has errors and was not saved. Nothing was changed.
err-MAT-012 = Write the year with four digits, between 2010 and 2100.
err-MAT-013 = The indicator version does not exist. Choose a version from the list.
err-MAT-014 = The action is a case already.
mat-col-case = Case
mat-action-to-case = Make it a case
mat-action-case-type = Case type for the action
mat-err-case-type = Choose a case type.
mat-saved = The area { $area } is saved.
mat-unsaved-note = What you fill in is saved only when you press Save the area. Save before you leave the page, or the changes are lost. Each area is saved on its own.
mat-many-indicators = { $count } indicators in this area. What you fill in is saved only when you press Save the area at the bottom of the page, so save before you leave the page.
mat-overdue = Overdue
mat-overdue-count = { $count ->
    [one] One action is overdue: the date it was due has passed.
   *[other] { $count } actions are overdue: the date they were due has passed.
}
mat-col-unanswered = Not answered
mat-draft-note = { $count ->
    [0] The self-assessment is a draft. Every indicator is answered.
    [one] The self-assessment is a draft and one indicator is not answered. It does not count as zero points: the shares count only the answered indicators.
   *[other] The self-assessment is a draft and { $count } indicators are not answered. They do not count as zero points: the shares count only the answered indicators.
}
mat-about-indicators = The indicators' codes and version
mat-about-indicators-text = SKR's indicators have codes (for example EB17-01) used in the open data. The answers are based on the indicator version { $version }.
mat-col-code = Code
err-MAT-015 = The date the action is due has already passed. Choose today's date or a later one.
mat-done-submitted = The self-assessment is submitted. The answers are locked.
mat-done-published = The municipality's answers are published.
mat-done-unpublished = The municipality's answers are no longer published.
mat-done-reopened = The self-assessment is open for changes again.
mat-done-assigned = The change of who answers the area is saved.
mat-confirm-happens = What happens
mat-confirm-not-undone = This cannot be undone
mat-confirm-back = Back to the self-assessment without changing anything
mat-confirm-submit-total = The self-assessment is submitted with
mat-confirm-submit-title = Submit the self-assessment { $year }?
mat-confirm-submit-effect-1 = The answers are locked. Neither you nor the people answering the areas can change them.
mat-confirm-submit-effect-2 = The self-assessment becomes the municipality's result for { $year }: the report is no longer a draft and the result is compared with the municipality's earlier years. If the municipality's answers are published, they also count in the comparison with other municipalities.
mat-confirm-submit-effect-3 = The submission is listed in the self-assessment's events with your name.
mat-confirm-submit-final = You cannot undo the submission yourself. Only an administrator can reopen the self-assessment, and must then give a reason that is kept in the events.
mat-confirm-submit-button = Yes, submit the self-assessment
mat-confirm-publish-title = Publish the municipality's answers for { $year }?
mat-confirm-publish-effect-1 = The municipality's answers for { $year } are shown to everyone on the municipality's eBlomlåda page, with the municipality's name, as soon as the self-assessment is submitted.
mat-confirm-publish-effect-2 = The answers become open data (CSV and JSON) that anyone can download and use, and count in the comparison with other municipalities on the platform.
mat-confirm-publish-effect-3 = The publication is listed in the self-assessment's events with your name.
mat-confirm-publish-final = You can stop publishing the answers later, but what someone has already seen or downloaded cannot be taken back.
mat-confirm-publish-button = Yes, publish the municipality's answers

# Issue 18: the area page's answers, at the field
mat-answer-legend = Answer
mat-indicator-field = Indicator { $indicator }
err-mat-level = Choose whether the municipality meets the indicator not at all, partly or fully.
err-mat-due-date = Write the date as YYYY-MM-DD, for example 2026-12-31.
err-mat-due-past = The date has already passed. Choose today's date or a later one.
err-mat-text-long = Shorten the text to at most 2,000 characters.
