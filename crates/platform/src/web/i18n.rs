//! Fluent translations, Swedish first and English second.
//!
//! Each crate contributes `.ftl` resources through [`I18n::new`]; templates call
//! `t.t("message-id")` through the [`Tr`] handle in the page context.

use std::collections::HashMap;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use radhus_kernel::Lang;

/// The platform's own messages.
pub const PLATFORM_FTL: [(Lang, &str); 2] =
    [(Lang::Sv, include_str!("../../locales/sv.ftl")), (Lang::En, include_str!("../../locales/en.ftl"))];

pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

impl I18n {
    /// Builds one bundle per language from all resources. A syntax error in a shipped
    /// `.ftl` file is a programming error caught by the tests, so it is reported, not hidden.
    pub fn new(resources: &[(Lang, &'static str)]) -> anyhow::Result<Self> {
        let mut bundles = HashMap::new();
        for lang in Lang::ALL {
            let id: unic_langid::LanguageIdentifier = lang.code().parse()?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks around placeables confuse screen readers in plain HTML.
            bundle.set_use_isolating(false);
            for (l, src) in resources.iter().filter(|(l, _)| *l == lang) {
                let res = FluentResource::try_new((*src).to_string()).map_err(|(_, errs)| anyhow::anyhow!("{} ftl: {errs:?}", l.code()))?;
                bundle.add_resource(res).map_err(|errs| anyhow::anyhow!("{} ftl: {errs:?}", l.code()))?;
            }
            bundles.insert(lang, bundle);
        }
        Ok(Self { bundles })
    }

    /// The message, or its id in brackets when missing (visible in review, never a panic).
    pub fn message(&self, lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(bundle) = self.bundles.get(&lang) else {
            return format!("[{id}]");
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            if lang != Lang::Sv {
                return self.message(Lang::Sv, id, args);
            }
            return format!("[{id}]");
        };
        let mut errors = vec![];
        bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundles.get(&lang).is_some_and(|b| b.has_message(id))
    }

    /// Message ids present in one language but not the other.
    pub fn missing_ids(resources: &[(Lang, &'static str)]) -> Vec<String> {
        let ids = |lang: Lang| -> std::collections::BTreeSet<String> {
            resources
                .iter()
                .filter(|(l, _)| *l == lang)
                .flat_map(|(_, src)| {
                    src.lines()
                        .filter(|l| !l.starts_with([' ', '#', '\t', '.', '[', '*']) && l.contains(" ="))
                        .filter_map(|l| l.split(" =").next().map(|s| s.trim().to_string()))
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let sv = ids(Lang::Sv);
        let en = ids(Lang::En);
        sv.symmetric_difference(&en).cloned().collect()
    }
}

/// A translator bound to one request's language; what templates see as `t`.
#[derive(Clone, Debug)]
pub struct Tr {
    pub lang: Lang,
    pub i18n: Arc<I18n>,
}

impl Tr {
    pub fn t(&self, id: &str) -> String {
        self.i18n.message(self.lang, id, None)
    }

    /// A message with one named argument.
    pub fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value.to_string()));
        self.i18n.message(self.lang, id, Some(&args))
    }

    /// A message with a count (plural rules).
    pub fn tn(&self, id: &str, count: i64) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(count));
        self.i18n.message(self.lang, id, Some(&args))
    }

    pub fn lang(&self) -> &'static str {
        self.lang.code()
    }
}
