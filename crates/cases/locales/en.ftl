cases-title = Cases
cases-hint = My cases, my unit's cases, registration and distribution
registries-title = Registries and case types
registries-hint = Registries, number formats, classification and case types
diary-title = Public diary
diary-hint = Search the municipality's registered cases and records
perm-cases-read = Read cases
perm-cases-handle = Handle cases
perm-cases-register = Register cases and records
perm-cases-distribute = Distribute cases
perm-cases-reopen = Reopen closed cases
perm-cases-admin = Administer registries and case types

cases-new = New case
cases-register = Register the case
cases-views = Selection
cases-view-mine = My cases
cases-view-work-group = My work group
cases-view-unit = My unit
cases-view-department = My department
cases-view-all = All I may see
cases-any = Any
cases-sort = Sort
cases-sort-opened = Latest registered
cases-sort-due = Target date
cases-sort-number = Diary number
cases-overdue-only = Overdue only
cases-filter = Show
cases-count = { $count ->
    [one] One case
   *[other] { $count } cases
}
cases-none = No cases in this selection.
cases-unassigned = Not assigned
cases-overdue = Overdue
cases-no-unit = No unit
cases-no-types = There are no case types yet. An administrator sets them up under Registries and case types.
cases-party = Party
cases-parties = Parties
cases-change-status = Change status
cases-assign = Distribute
cases-timeline = Timeline
public-title-hint = Shown in the public diary. Leave empty if the title can be shown as it is; never write personal identity numbers.
party-identity-hint = Personal identity number, coordination number or organisation number. Never shown publicly.
party-applicant = applicant
party-counterparty = counterparty
party-other = other party
case-status-open = Open
case-status-suspended = Suspended
case-status-closed = Closed
case-status-obliterated = Obliterated

records-title = Records
records-caption = Records of the case
records-none = No records yet.
# The platform's field-kind is an org unit's level; a record's kind has its own label.
records-kind = Record type
records-new = New record
records-add = Add the record
records-delete = Delete the draft
record-kind-inbound = Inbound
record-kind-outbound = Outbound
record-kind-memo = Official memo
record-kind-decision = Decision
record-status-drafted = Draft
record-status-registered = Registered
record-status-established = Established
record-status-approved = Approved
record-status-dispatched = Dispatched
record-action-registered = Register
record-action-established = Establish
record-action-approved = Approve
record-action-dispatched = Mark as dispatched
memo-hint = For official memos (Administrative Procedure Act, section 27): what came up and how. It cannot be changed once registered.
private-person = private person

documents-title = Documents
documents-caption = Documents and versions
documents-none = No documents yet.
documents-version = Version
documents-file = File
documents-checksum = Checksum (SHA-256)
documents-main = Main document
documents-attachment = Attachment
documents-role = Kind
documents-new-version-of = New version of
documents-new-document = A new document
documents-upload = Upload
documents-hint = PDF, Word, Excel, OpenDocument, text, image or e-mail, at most 20 MB.

secrecy-title = Secrecy marking
secrecy-tag = Secret
secrecy-warning = Marked secret:
secrecy-reassess = The marking is a warning. Every request for release needs a new secrecy assessment.
secrecy-fields = What is marked secret
secrecy-save = Save the marking
secrecy-ground-hint = The legal ground, for example OSL 26 kap. 1 §.
secret-field-title = The title
secret-field-correspondent = Sender/recipient
secret-field-document = The document

registries-registries = Registries
registries-classes = Classification
registries-types = Case types
registries-add = Add registry
registries-add-class = Add class
registries-add-type = Add case type
number-format-hint = A pattern with {"{"}code{"}"}, {"{"}year{"}"} and {"{"}seq{"}"}, for example {"{"}code{"}"} {"{"}year{"}"}/{"{"}seq{"}"} or {"{"}year{"}"}-{"{"}seq:5{"}"}.
retention-hint = Years after closing before disposal. Leave empty if the records are kept.
retention-keep = Kept
retention-destroy = Disposed of after { $years } years

diary-intro = The municipality's registered cases and records. Details covered by secrecy show as [Sekretess] and names of private persons are not shown.
diary-search = Search the diary
diary-search-button = Search
diary-hits = { $count ->
    [one] One hit
   *[other] { $count } hits
}
diary-none = No cases found.
diary-request = Would you like to see a record? Contact the municipality's registry and give the diary number.

field-number = Diary number
field-title = Title
field-public_title = Public title
field-case_type_id = Case type
field-unit_id = Responsible unit
field-caseworker_id = Caseworker
field-status = Status
field-due = Target date
field-opened = Registered
field-closed = Closed
field-class = Class
field-note = Comment
field-correspondent = Sender/recipient
field-correspondent_is_person = The sender/recipient is a private person
field-document_date = Date of the record
field-memo_text = Note
field-register = Register at once (an inbound record is always registered)
field-registered = Registered
field-created = Created
field-secrecy_ground = Legal ground
field-party_role = Role
field-party_name = Name
field-party_identity = Identity number
field-party_contact = Contact details
field-number_format = Number format
field-retention_years = Disposal period (years)
field-registry_id = Registry
field-target_days = Handling time (days)
field-file = File
field-fields = Fields
field-vy = Selection
field-memo = Note
field-retention = Disposal

err-registry-code = The registry code is 1–10 letters and digits, starting with a letter, for example KS.
err-number-format = The number format must contain {"{"}year{"}"} and {"{"}seq{"}"} once each and be readable back.
err-registry-exists = There is already a registry with that code.
err-registry-unknown = Choose a registry that exists.
err-class-exists = There is already a class with that code.
err-class-unknown = Choose a class that exists.
err-case-type-exists = There is already a case type with that name.
err-case-type-unknown = Choose a case type that exists.
err-target-days = The handling time is a number of days between 1 and 3650.
err-retention = The disposal period is a number of years between 1 and 200, or empty.
err-caseworker-unknown = Choose a caseworker who exists.
err-party = Give the party's name and role.
err-party-identity = The identity number is not a valid personal identity, coordination or organisation number.
err-case-transition = The case cannot move to that status from here.
err-case-reopen = You do not have permission to reopen closed cases.
err-reopen-reason = Write why the case is reopened.
err-case-close-drafts = The case cannot be closed while it has records that are not registered.
err-case-not-open = The case is not open; no records can be added.
err-case-status = Choose a status.
err-record-kind = Choose the kind of record.
err-record-transition = The record cannot move to that status from here.
err-record-delete = Only drafts can be deleted. A registered record stays in the diary.
err-record-locked = The record is locked: a registered memo or a dispatched record cannot be changed.
err-memo-text = An official memo needs its note.
err-correspondent = Give the sender or recipient.
err-date = Write the date as YYYY-MM-DD.
err-secrecy-ground = Give the legal ground for the secrecy, for example OSL 26 kap. 1 §.
err-file-empty = Choose a file.
err-file-too-large = The file is larger than 20 MB.
err-file-type = The file type is not allowed, or the content does not match the file name.
err-no-unit = You do not belong to a unit, so that selection is empty.

approvals-title = To approve
approvals-hint = Records waiting for your approval
approvals-caption = Records waiting for you
approvals-requested-by = Sent by
approvals-none = Nothing is waiting for your approval.
approval-title = Approval
approval-status-waiting = waiting for their turn
approval-status-pending = to approve now
approval-status-approved = approved
approval-status-returned = returned
approval-status-cancelled = cancelled
approval-approve = Approve
approval-return = Return
approval-comment-hint = A comment is needed if you return the record.
approval-send = Send for approval
approval-send-hint = Choose who approves the record, in order. You cannot approve your own record.
approval-approver-n = Approver { $n }
field-comment = Comment
field-approvers = Approvers
field-decision = Decision
err-approval-required = A record is approved through the approval route, not directly.
err-approval-not-established = The record must be established before it is sent for approval.
err-approval-open = The record already has an approval route in progress.
err-approval-none = There is no approval to decide on.
err-approve-own = You cannot approve your own record.
err-approver-twice = The same person can be in the approval route only once.
err-approvers-count = Choose between one and five approvers.
err-return-comment = Write why the record is returned.

watches-title = Watches
watches-hint = Your watches and feeds for your calendar
watches-caption = Your open watches
watches-none = You have no open watches.
watches-none-case = No watches on this case.
watches-none-record = No watches on this record.
watches-new = New watch
watches-add = Add watch
watches-actions = Actions
watches-done = Done: { $number }
watches-feeds = Feeds
watches-feeds-intro = Follow your watches in a feed reader (Atom) or your calendar (iCalendar). The address contains a secret key; whoever has it can see your watches.
watches-feeds-once = The addresses are shown only now. Save them. A new address makes the old one stop working.
watches-feeds-new = Create a new feed address
field-remind_days = Remind this many days before
field-due-date = Date
err-watch-past = The date has already passed.
err-watch-remind = The reminder can be 0–60 days before.

field-record_kind = Record type
related-title = Related cases
related-none = No related cases.
related-add = Relate
field-related_number = Diary number of another case
err-diary-number = Write the diary number as CODE YYYY/NUMBER, for example KS 2026/12.
err-diary-number-unknown = There is no case with that diary number that you can see.
err-relate-self = A case cannot be related to itself.
disposal-title = Disposal
disposal-hint = Closed cases whose documents are due for disposal
disposal-intro = Closed cases whose class says their documents are disposed of after a number of years are listed here when that time has passed. The diary entries stay; the documents are removed and the decision is noted in the case.
disposal-none = No cases are due for disposal now.
disposal-list = Cases to dispose of
disposal-execute = Carry out the disposal
disposal-ref-hint = The disposal decision or records management plan the disposal follows, for example KS 2025/45.
disposal-done = { $count ->
    [one] One document version was disposed of.
   *[other] { $count } document versions were disposed of.
}
field-decision_ref = Disposal decision
field-cases = Cases
err-disposal-ref = Give the disposal decision.
err-disposal-none = Choose at least one case.
err-disposal-not-due = One of the cases is not due for disposal yet.
archive-export = Download archive package (E-ARK)
err-export-not-closed = Only closed cases can be exported as an archive package.

# Official memo
memo-title = Official memo
memo-intro = Write the official memo here. It is created as PDF/A from the municipality's template and stored as a new version of the record's document.
memo-again = The texts of the latest version are kept; change them and create a new version.
memo-paragraph-hint = Separate paragraphs with a blank line.
memo-generate = Create official memo (PDF/A)
field-proposal = Proposed decision
field-summary = Summary
field-background = Description of the case
field-assessment = Assessment
err-memo-not-allowed = An official memo can only be created for outgoing records and decisions that are not yet established.
err-memo-template = The municipality's template for official memos could not be used. Ask a registry administrator to fix it under Registries › Document templates.
err-memo-template-slow = The municipality's template for official memos took too long and was stopped. Ask a registry administrator to simplify it under Registries › Document templates.
err-memo-busy = Too many documents are being made right now. Try again in a moment.
err-memo-changed = The record changed while the official memo was being made. Try again.
err-too-long = The text is too long.
template-title = Document template: official memo
template-intro = Official memos are created as PDF/A from a Typst template. The municipality can replace Rådhus' default template with its own; the template is tried with sample data before it is saved.
template-own = The municipality uses its own template.
template-default = The municipality uses Rådhus' default template.
template-source = Template source (Typst)
template-source-hint = The case's data is in sys.inputs.data as JSON; see the comment at the top of the default template.
template-save = Try and save the template
template-reset = Back to the default template
template-saved = The template is saved.
err-template-compile = The template could not be used and was not saved:
err-template-size = The template must not be empty and at most 200,000 characters.
field-source = Template
registries-templates = Document templates

# Projects
projects-title = Projects
projects-hint = Cases that belong together, e.g. every case of one detailed plan
projects-intro = A project groups cases that belong together, across registries and units. A case is in at most one project.
projects-none = No projects yet.
projects-cases = Cases in the project
projects-new = New project
projects-create = Create project
projects-no-cases = No cases you may see.
projects-hidden = { $count ->
    [one] One case in the project belongs to a unit whose cases you may not see.
   *[other] { $count } cases in the project belong to units whose cases you may not see.
}
projects-close = Close the project
projects-reopen = Open the project again
project-status-open = Ongoing
project-status-closed = Closed
project-title = Project
project-none = The case is not in a project.
project-none-option = No project
project-set = Save project
field-project_id = Project
err-project-exists = There is already a project with that name.
err-project-unknown = The project does not exist.
err-project-closed = The project is closed and takes no more cases.
memo-write = Write the official memo
memo-new-version = Write a new version of the official memo

# Received and dispatched
field-received_on = Date received
received-hint = For inbound records: the day it came in. Empty means the day it is registered.
field-dispatched = Dispatched
field-received-sent = Received/dispatched
received-short = received
dispatched-short = dispatched
err-received-future = A record cannot have come in in the future.

# Notification templates (the municipality's templates page)
templates-module-cases = Cases and registry
notification-watch-reminder = Watch reminder

err-case-type-unrouted = The case type has no default unit, so the case cannot be received automatically. Ask a registry administrator to choose a unit for the case type under Registries.
err-intake-case-type = The case type does not exist or is no longer in use, so the case cannot be received.
err-routing-unit = Choose a unit: a default caseworker needs a default unit.
registries-routing = Defaults for incoming cases
registries-routing-hint = Cases that come in without a caseworker, for example from an e-service, are registered to this unit and caseworker.
registries-routing-save = Save defaults
registries-routing-none = No default unit

# Messages with the case's parties and completion requests (issue 12)
err-message-no-citizen = The case has no party who is a private person with a personal identity number, so there is nobody to send the message to in My cases.
err-request-withdrawn = The caseworker has withdrawn the request for completion. Write an ordinary message if you want to send something anyway.
err-request-not-open = The request for completion has been answered or withdrawn already.
err-message-body = Write a message.
err-message-too-long = The message is too long. Shorten it to at most 5,000 characters, or attach a file.
err-message-due = Choose the last day for the completion.
err-message-due-past = The last day for the completion cannot have passed. Choose today or a later day.
err-message-kind = Choose whether it is a message or a request for completion.
messages-title = Messages with the party
messages-hint = Messages and requests for completion are shown to the party in My cases. Every message is registered as a record of the case.
messages-none = No messages yet.
messages-caption = Messages of the case, oldest first
messages-from-citizen = From the party
messages-to-citizen = To the party
messages-read = Read { $at }
messages-unread = Not read yet
messages-late = Came in after the last day
messages-open-request = Waiting for completion by { $due }
messages-answered = Answered { $at }
messages-withdrawn = Withdrawn { $at }
messages-withdraw = Withdraw the request
messages-write = Write to the party
messages-kind = Kind
messages-kind-message = Message
messages-kind-completion_request = Request for completion
messages-kind-answer = Answer from the party
messages-body = Message
messages-due = Last day for the completion
messages-due-hint = Only for a request for completion.
messages-send = Send
messages-record = Record { $number }
handling-title = Handling times
handling-hint = The stated and the measured time from a case coming in to the decision, per case type.
handling-intro = The stated time is the case type's target. The measured time runs from the case coming in to the first decision dispatched to the party, for cases decided in the last twelve months; it is shown once at least five cases are decided. Citizens see the same times in My cases.
handling-caption = Handling times per case type, last twelve months
handling-stated = Stated time
handling-median = Median
handling-p90 = 9 in 10 within
handling-decided = Decisions
handling-overdue = Open past the stated time
handling-slow = Above the stated time
handling-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
personal-cases = Cases

# Issue 20: the law in the code
field-drawn-up = Drawn up (upprättad)
record-registered-late = Registered late
late-title = Records registered late
late-intro = Inbound records registered on a later day than they came in. A received document is to be registered without delay (Public Access to Information and Secrecy Act, ch. 5 s. 1).
late-none = No inbound record has been registered late.
late-caption = Inbound records registered after the day they came in, latest registration first
late-days = Days after arrival
late-by = Registered by
err-dispatch-no-recipient = The record cannot be dispatched without a recipient. Fill in the recipient first.
