//! No import circle inside a crate (issue 16): the modules of a crate's `src/` and what they
//! import from each other (`use crate::…`, `super::…`, `self::…`, a child module by name, and
//! paths written inline), with the circles among them. A `pub use` counts as an import of
//! where it points, and a path through a re-export is followed to the module that defines the
//! item. Text after `#[cfg(test)]\nmod tests` is left out (tests may use their parent).
//!
//! The reading is textual (comments and string literals are blanked first); it is exact enough
//! for the crates' own style of imports and is checked by the tests below on small sources.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// The circles among the modules of the crate whose `src` directory is `src`, each as the
/// sorted names (`a::b`) of the modules in it.
pub fn circles(src: &Path) -> Vec<Vec<String>> {
    let mut files = BTreeMap::new();
    read_dir(src, src, &mut files);
    circles_of(&files)
}

fn read_dir(root: &Path, dir: &Path, out: &mut BTreeMap<Module, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            read_dir(root, &p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p.strip_prefix(root).expect("under the root").with_extension("");
            let mut m: Module = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
            if m.last().is_some_and(|l| l == "mod") {
                m.pop();
            }
            if m == ["lib"] || m == ["main"] {
                m.clear();
            }
            out.insert(m, std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

/// Blanks comments and string literals, and drops a trailing `#[cfg(test)] mod tests`.
fn clean(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'\'' && b.get(i + 1) == Some(&b'"') && b.get(i + 2) == Some(&b'\'') {
            out.push_str("' '");
            i += 3;
        } else if b[i] == b'r'
            && matches!(b.get(i + 1), Some(b'#' | b'"'))
            && !text[..i].chars().next_back().is_some_and(is_ident)
            && let Some(q) = text[i + 1..].find('"')
            && text[i + 1..i + 1 + q].bytes().all(|c| c == b'#')
        {
            // A raw string r#"…"#: up to the quote followed by as many hashes.
            let close = format!("\"{}", &text[i + 1..i + 1 + q]);
            let body = i + 2 + q;
            i = text[body..].find(&close).map_or(b.len(), |e| body + e + close.len());
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            let c = text[i..].chars().next().expect("a char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The paths of one `use` tree: `a::{b, c::{d as e}}` gives `a::b` and `a::c::d`.
fn expand(prefix: &[String], body: &str, out: &mut Vec<Vec<String>>) {
    let body = body.trim();
    if let Some(open) = body.find('{') {
        let head: Vec<String> = split_path(&body[..open]);
        let inner = &body[open + 1..body.rfind('}').unwrap_or(body.len())];
        let mut p = prefix.to_vec();
        p.extend(head);
        let (mut depth, mut start) = (0, 0);
        for (i, ch) in inner.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&p, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&p, &inner[start..], out);
    } else {
        let item = body.split(" as ").next().unwrap_or("").trim();
        let mut p = prefix.to_vec();
        p.extend(split_path(item).into_iter().filter(|s| s != "self" && s != "*"));
        if !p.is_empty() {
            out.push(p);
        }
    }
}

fn split_path(s: &str) -> Vec<String> {
    s.split("::").map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every `a::b::c` written in the text (not preceded by `::` or a letter).
fn inline_paths(t: &str) -> Vec<Vec<String>> {
    let mut out = vec![];
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
        if is_ident(c) && !prev.is_some_and(|p| is_ident(p) || p == ':') {
            let mut end = k;
            while end < chars.len() && (is_ident(chars[end].1) || (chars[end].1 == ':' && chars.get(end + 1).is_some_and(|x| x.1 == ':'))) {
                end += if chars[end].1 == ':' { 2 } else { 1 };
            }
            let stop = chars.get(end).map_or(t.len(), |x| x.0);
            let s = &t[i..stop];
            // `a::{…}` and `a::*` are use trees, read by `expand` (a brace names the items).
            if s.contains("::") && !s.ends_with("::") {
                out.push(split_path(s));
            }
            k = end.max(k + 1);
        } else {
            k += 1;
        }
    }
    out
}

fn circles_of(files: &BTreeMap<Module, String>) -> Vec<Vec<String>> {
    let texts: BTreeMap<&Module, String> = files.iter().map(|(m, t)| (m, clean(t))).collect();
    let children: BTreeMap<&Module, BTreeSet<String>> = texts
        .iter()
        .map(|(m, t)| {
            let kids = t
                .split(';')
                .filter_map(|s| {
                    let w: Vec<&str> = s.split_whitespace().collect();
                    let i = w.iter().position(|x| *x == "mod")?;
                    (i + 2 == w.len()).then(|| w[i + 1].to_string())
                })
                .collect();
            (*m, kids)
        })
        .collect();
    let absolute = |m: &Module, p: &[String]| -> Option<Module> {
        let (head, rest) = p.split_first()?;
        match head.as_str() {
            "crate" => Some(rest.to_vec()),
            "self" => Some(m.iter().chain(rest).cloned().collect()),
            "super" => {
                let mut cur = m.clone();
                cur.pop();
                let mut rest = rest;
                while rest.first().is_some_and(|x| x == "super") {
                    cur.pop();
                    rest = &rest[1..];
                }
                Some(cur.into_iter().chain(rest.iter().cloned()).collect())
            }
            h if children[m].contains(h) => Some(m.iter().chain(p).cloned().collect()),
            _ => None,
        }
    };
    let uses = |m: &Module, t: &str, only_pub: bool| -> Vec<Module> {
        let mut paths = vec![];
        for (at, _) in t.match_indices("use ") {
            if t[..at].chars().next_back().is_some_and(is_ident) {
                continue;
            }
            let before = t[..at].trim_end();
            let before = match before.strip_suffix(')') {
                Some(b) => b.rsplit_once('(').map_or(b, |(head, _)| head),
                None => before,
            };
            let is_pub = before.ends_with("pub") && !before[..before.len() - 3].chars().next_back().is_some_and(is_ident);
            if only_pub && !is_pub {
                continue;
            }
            let body = &t[at + 4..];
            expand(&[], &body[..body.find(';').unwrap_or(body.len())], &mut paths);
        }
        if !only_pub {
            paths.extend(inline_paths(t));
        }
        paths.iter().filter_map(|p| absolute(m, &p[..])).collect()
    };
    // Re-exports: module → name → where it points.
    let mut reexports: BTreeMap<&Module, BTreeMap<String, Module>> = BTreeMap::new();
    for (m, t) in &texts {
        for p in uses(m, t, true) {
            if let Some(name) = p.last() {
                reexports.entry(*m).or_default().insert(name.clone(), p.clone());
            }
        }
    }
    fn resolve(
        p: &[String],
        files: &BTreeMap<Module, String>,
        re: &BTreeMap<&Module, BTreeMap<String, Module>>,
        depth: u8,
    ) -> Option<Module> {
        for n in (0..=p.len()).rev() {
            let pm: Module = p[..n].to_vec();
            if files.contains_key(&pm) {
                if let Some(target) = p.get(n).and_then(|name| re.get(&pm)?.get(name))
                    && depth < 8
                    && target[..] != p[..n + 1]
                {
                    let mut q = target.clone();
                    q.extend(p[n + 1..].iter().cloned());
                    return resolve(&q, files, re, depth + 1);
                }
                return Some(pm);
            }
        }
        None
    }
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (m, t) in &texts {
        for p in uses(m, t, false) {
            if let Some(to) = resolve(&p, files, &reexports, 0)
                && &to != *m
                && !m.is_empty()
                && !to.is_empty()
            {
                edges.entry((*m).clone()).or_default().insert(to);
            }
        }
    }
    strongly_connected(&edges)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut v: Vec<String> = c.iter().map(|m| m.join("::")).collect();
            v.sort();
            v
        })
        .collect()
}

/// Tarjan's strongly connected components.
fn strongly_connected(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct St<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<Module, usize>,
        low: BTreeMap<Module, usize>,
        stack: Vec<Module>,
        on: BTreeSet<Module>,
        out: Vec<Vec<Module>>,
    }
    fn visit(s: &mut St, v: &Module) {
        let i = s.index.len();
        s.index.insert(v.clone(), i);
        s.low.insert(v.clone(), i);
        s.stack.push(v.clone());
        s.on.insert(v.clone());
        for w in s.edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let l = s.low[v].min(s.low[w]);
                s.low.insert(v.clone(), l);
            } else if s.on.contains(w) {
                let l = s.low[v].min(s.index[w]);
                s.low.insert(v.clone(), l);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = vec![];
            while let Some(w) = s.stack.pop() {
                s.on.remove(&w);
                let done = &w == v;
                comp.push(w);
                if done {
                    break;
                }
            }
            s.out.push(comp);
        }
    }
    let mut s = St { edges, index: BTreeMap::new(), low: BTreeMap::new(), stack: vec![], on: BTreeSet::new(), out: vec![] };
    let nodes: BTreeSet<Module> = edges.iter().flat_map(|(a, bs)| std::iter::once(a.clone()).chain(bs.iter().cloned())).collect();
    for v in &nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<Module, String> {
        list.iter().map(|(m, t)| (split_path(m), t.to_string())).collect()
    }

    #[test]
    fn finds_a_circle_through_use_super_and_inline_paths() {
        let f = files(&[
            ("", "mod a; mod b; mod c;"),
            ("a", "use crate::b::{self, Thing};"),
            ("b", "fn f() { super::c::g() }"),
            ("c", "pub fn g() { crate::a::h() } // crate::b::x in a comment\nconst S: &str = \"crate::b\";"),
        ]);
        assert_eq!(circles_of(&f), vec![vec!["a".to_string(), "b".into(), "c".into()]]);
    }

    #[test]
    fn a_parent_and_a_child_form_a_circle_but_a_re_export_is_followed() {
        let f = files(&[
            ("", "pub mod web;"),
            ("web", "mod cases; use self::cases::page; pub fn helper() {}"),
            ("web::cases", "use super::helper; pub fn page() {}"),
        ]);
        assert_eq!(circles_of(&f), vec![vec!["web".to_string(), "web::cases".into()]]);
        let f = files(&[
            ("", "pub mod area; pub mod web;"),
            ("area", "mod vocab; pub use vocab::Kind; pub fn run() { crate::web::x() }"),
            ("area::vocab", "pub enum Kind {}"),
            ("web", "use crate::area::Kind; pub fn x() {}"),
        ]);
        assert!(circles_of(&f).is_empty(), "web uses area::vocab through the re-export, not area");
    }

    #[test]
    fn a_use_tree_of_a_parents_re_exports_is_no_import_of_the_parent() {
        let f = files(&[
            ("", "mod form;"),
            ("form", "mod model; mod answers; pub use model::Definition; pub use answers::check;"),
            ("form::model", "pub struct Definition;"),
            ("form::answers", "use super::{Definition}; pub fn check(_: &Definition) {}"),
        ]);
        assert!(circles_of(&f).is_empty(), "{:?}", circles_of(&f));
        let glob = files(&[
            ("", "mod form;"),
            ("form", "mod answers; pub use answers::check; pub struct Definition;"),
            ("form::answers", "use super::*; pub fn check(_: &Definition) {}"),
        ]);
        assert_eq!(circles_of(&glob), vec![vec!["form".to_string(), "form::answers".to_string()]]);
    }

    /// Every crate holds the rule.
    #[test]
    fn the_module_crates_have_no_import_circle() {
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("crates/");
        // Every crate directory, so a new crate is held to it too; all circles are named at once.
        let mut found = vec![];
        for dir in std::fs::read_dir(crates).expect("crates/").flatten() {
            let c = circles(&dir.path().join("src"));
            if !c.is_empty() {
                found.push(format!("{}: {c:?}", dir.file_name().to_string_lossy()));
            }
        }
        assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
    }
}
