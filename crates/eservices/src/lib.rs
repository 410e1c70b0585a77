//! E-services (issue 11): the shared catalogue, the form engine and the citizen's submission,
//! which becomes a case through case management's intake.
//!
//! The platform operator publishes shared e-services (versioned JSON definitions, linted by
//! [`form::lint`]) in the shared catalogue; a municipality adopts one with its overrides
//! ([`form::apply`]), the case type its submissions become, their public title and secrecy
//! (ADR 0022: inheritance, not copies). A citizen logged in with e-ID fills it in step by step
//! (a draft on the server, resumed on any device), signs and submits; in one transaction the
//! submission becomes a case with the citizen as applicant, an inbound record with the
//! submission as its document, the audit event and the receipt e-mail. The PDF/A receipt is
//! typeset after the commit.

pub mod adapt;
pub mod broadcast;
pub mod builder;
pub mod catalogue;
pub mod citizen;
pub mod form;
pub mod on_behalf;
pub mod payment;
pub mod receipt;
pub mod retention;
pub mod service;
pub mod stats;
pub mod store;
pub mod web;
pub mod webhook;

use radhus_kernel::Lang;
use radhus_kernel::error::{ErrorDef, ErrorKind};
use radhus_platform::Module;
use radhus_platform::error::Error;
use radhus_platform::identity::permissions::PermissionDef;
use radhus_platform::outbox::templates::{NotificationTemplate, Sender, Text};
use radhus_platform::pii::SealedColumn;
use radhus_platform::web::{LinkArea, NavLink};

/// Who adopts and adapts the municipality's e-services.
pub const ADMIN: &str = "eservices.admin";

/// The module's errors, code `ES-…`, messages `es-err-…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EsError {
    /// A citizen session that is not e-ID (an e-mail link) tries to fill in or submit.
    NeedsEid,
    /// The municipality has paused the e-service (drafts are kept).
    Paused,
    /// A definition that does not parse or that the linter refuses.
    Definition,
    /// Overrides that `form::apply` refuses (a locked part, a must-override part left out).
    Overrides,
    /// The form has unanswered or invalid steps at submit.
    Incomplete,
    /// The answers changed after the review page was shown (an old page posted again).
    Changed,
    /// The case type chosen for an adoption does not exist or is not routed to a unit.
    CaseType,
    /// A new shared version must be numbered above the current one and keep the service key.
    Version,
    /// The submission is paid already (paying twice).
    AlreadyPaid,
    /// A payment's return names no attempt of this submission (tampered or foreign parameters).
    UnknownPayment,
    /// The submission has nothing to pay.
    NothingToPay,
    /// No payment provider is connected to this installation.
    NoProvider,
    /// The payment provider refused or failed the refund (nothing is recorded as refunded).
    RefundRefused,
    /// Only a paid or duplicate payment can be refunded, once.
    NotRefundable,
    /// The municipality has as many webhooks as it may have (`webhook::MAX_WEBHOOKS`).
    TooManyWebhooks,
}

impl EsError {
    pub const ALL: [EsError; 15] = [
        EsError::NeedsEid,
        EsError::Paused,
        EsError::Definition,
        EsError::Overrides,
        EsError::Incomplete,
        EsError::Changed,
        EsError::CaseType,
        EsError::Version,
        EsError::AlreadyPaid,
        EsError::UnknownPayment,
        EsError::NothingToPay,
        EsError::NoProvider,
        EsError::RefundRefused,
        EsError::NotRefundable,
        EsError::TooManyWebhooks,
    ];

    pub fn def(self) -> ErrorDef {
        match self {
            EsError::NeedsEid => ErrorDef::new("ES-001", ErrorKind::Forbidden, "es-err-needs-eid"),
            EsError::Paused => ErrorDef::new("ES-002", ErrorKind::Conflict, "es-err-paused"),
            EsError::Definition => ErrorDef::new("ES-003", ErrorKind::BadInput, "es-err-definition"),
            EsError::Overrides => ErrorDef::new("ES-004", ErrorKind::BadInput, "es-err-overrides"),
            EsError::Incomplete => ErrorDef::new("ES-005", ErrorKind::BadInput, "es-err-incomplete"),
            EsError::Changed => ErrorDef::new("ES-006", ErrorKind::Conflict, "es-err-changed"),
            EsError::CaseType => ErrorDef::new("ES-007", ErrorKind::BadInput, "es-err-case-type"),
            EsError::Version => ErrorDef::new("ES-008", ErrorKind::BadInput, "es-err-version"),
            EsError::AlreadyPaid => ErrorDef::new("ES-030", ErrorKind::Conflict, "es-err-already-paid"),
            EsError::UnknownPayment => ErrorDef::new("ES-031", ErrorKind::BadInput, "es-err-unknown-payment"),
            EsError::NothingToPay => ErrorDef::new("ES-032", ErrorKind::Conflict, "es-err-nothing-to-pay"),
            EsError::NoProvider => ErrorDef::new("ES-033", ErrorKind::Conflict, "es-err-no-provider"),
            EsError::RefundRefused => ErrorDef::new("ES-034", ErrorKind::Conflict, "es-err-refund-refused"),
            EsError::NotRefundable => ErrorDef::new("ES-035", ErrorKind::Conflict, "es-err-not-refundable"),
            EsError::TooManyWebhooks => ErrorDef::new("ES-050", ErrorKind::Conflict, "es-err-too-many-webhooks"),
        }
    }
}

impl From<EsError> for Error {
    fn from(e: EsError) -> Self {
        let d = e.def();
        Error::rule(d.code, d.kind, d.message)
    }
}

/// The sealed columns of e-services (the answers of drafts and submissions), for `radhus keys rotate`.
pub const SEALED_COLUMNS: &[SealedColumn] = &[
    SealedColumn { table: "es_draft", sealed: "answers_sealed", index: None, plaintext: None },
    SealedColumn { table: "es_submission", sealed: "answers_sealed", index: None, plaintext: None },
    SealedColumn { table: "es_submission", sealed: "applicant_sealed", index: None, plaintext: None },
    SealedColumn { table: "es_webhook", sealed: "secret_sealed", index: None, plaintext: None },
];

/// The receipt e-mail to the citizen (when the form asked for an e-mail address).
pub const RECEIPT: NotificationTemplate = NotificationTemplate {
    key: "eservices.receipt",
    sender: Sender::Municipality,
    label: "es-notification-receipt",
    fields: &["name", "service", "case_number", "signed_at", "url"],
    sv: Text {
        subject: "Vi har tagit emot din ansökan: {{service}}",
        body: "Hej {{name}}!\n\nVi har tagit emot det du skickade in via e-tjänsten {{service}} den {{signed_at}}. Ditt ärende har diarienummer {{case_number}}.\n\nDitt kvitto finns på {{url}}\n\nDu kan följa ärendet under Mina ärenden.\n",
    },
    en: Text {
        subject: "We have received your application: {{service}}",
        body: "Hello {{name}},\n\nWe received what you sent through the e-service {{service}} on {{signed_at}}. Your case number is {{case_number}}.\n\nYour receipt is at {{url}}\n\nYou can follow the case under My cases.\n",
    },
};

/// The receipt e-mail of a submission that becomes a case only once its fee is paid.
pub const RECEIPT_UNPAID: NotificationTemplate = NotificationTemplate {
    key: "eservices.receipt-unpaid",
    sender: Sender::Municipality,
    label: "es-notification-receipt-unpaid",
    fields: &["name", "service", "amount", "signed_at", "url"],
    sv: Text {
        subject: "Vi har tagit emot din ansökan: {{service}}",
        body: "Hej {{name}}!\n\nVi har tagit emot det du skickade in via e-tjänsten {{service}} den {{signed_at}}. Ansökan registreras som ett ärende när avgiften på {{amount}} kronor är betald; då får du diarienumret i ett nytt e-postmeddelande.\n\nDu betalar och ser ditt kvitto på {{url}}\n",
    },
    en: Text {
        subject: "We have received your application: {{service}}",
        body: "Hello {{name}},\n\nWe received what you sent through the e-service {{service}} on {{signed_at}}. The application is registered as a case when the fee of {{amount}} kronor is paid; you will then get the case number in another e-mail.\n\nYou pay and see your receipt at {{url}}\n",
    },
};

pub fn module() -> Module {
    Module {
        name: "eservices",
        routes: web::routes(),
        ftl: vec![(Lang::Sv, include_str!("../locales/sv.ftl")), (Lang::En, include_str!("../locales/en.ftl"))],
        permissions: vec![PermissionDef { key: ADMIN, label: "perm-eservices-admin" }],
        openapi: utoipa::openapi::OpenApiBuilder::new().build(),
        links: vec![
            NavLink { area: LinkArea::Public, permissions: &[], href: "/e-tjanster", label: "es-title", hint: "es-hint" },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[ADMIN],
                href: "/admin/e-tjanster",
                label: "es-admin-title",
                hint: "es-admin-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[ADMIN],
                href: "/admin/e-tjanster/egna",
                label: "es-b-title",
                hint: "es-b-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[ADMIN],
                href: "/admin/e-tjanster/driftmeddelanden",
                label: "es-bc-admin-title",
                hint: "es-bc-admin-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[ADMIN],
                href: "/admin/e-tjanster/betalningar",
                label: "es-refund-admin-title",
                hint: "es-refund-admin-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[ADMIN],
                href: "/admin/e-tjanster/gallring",
                label: "es-ret-title",
                hint: "es-ret-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[ADMIN],
                href: "/admin/e-tjanster/webhooks",
                label: "es-wh-title",
                hint: "es-wh-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[ADMIN],
                href: "/admin/e-tjanster/statistik",
                label: "es-stats-title",
                hint: "es-stats-hint",
            },
            NavLink {
                area: LinkArea::Operator,
                permissions: &[],
                href: "/admin/e-tjanster/delade/driftmeddelanden",
                label: "es-bc-admin-title",
                hint: "es-bc-platform-hint",
            },
            NavLink {
                area: LinkArea::Operator,
                permissions: &[],
                href: "/admin/e-tjanster/delade",
                label: "es-shared-title",
                hint: "es-shared-hint",
            },
            NavLink {
                area: LinkArea::Operator,
                permissions: &[],
                href: "/admin/e-tjanster/delade/statistik",
                label: "es-stats-platform-title",
                hint: "es-stats-platform-hint",
            },
        ],
        jobs: vec![retention::daily_job, payment::reconcile_job, webhook::job],
        notifications: vec![RECEIPT, RECEIPT_UNPAID, payment::EXPIRED, payment::EXPIRED_UNREGISTERED],
        subscribers: vec![webhook::SUBSCRIBER],
        personal_data: vec![citizen::PERSONAL_DATA],
        errors: EsError::ALL.iter().map(|e| e.def()).collect(),
    }
}
