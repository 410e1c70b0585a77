//! The expression language of conditions (`visible_if`, `required_if`), computed fields and
//! fees. Hand-written recursive descent; nothing but these few operations exists, so no
//! user-supplied code runs. Parsing is bounded in length and nesting, evaluation in steps
//! (each is an error, never a hang or a stack overflow).
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | cmp
//! cmp     := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | primary
//! primary := number | string | "true" | "false" | name | name "." name
//!          | function "(" expr ("," expr)* ")" | "(" expr ")"
//! ```
//!
//! Functions: `if(c, a, b)`, `count(group_or_multi)`, `contains(multi, "x")`,
//! `sum(group.field)`, `min(a, b, …)`, `max(a, b, …)`, `round(x)`, `answered(field)`.

use std::fmt;

/// Longest expression accepted, in characters.
pub const MAX_LEN: usize = 2000;
/// Deepest nesting accepted: each parenthesis, call, `not`, minus sign and chained operator
/// is one level.
pub const MAX_DEPTH: usize = 40;
/// Most evaluation steps of one evaluation, computed fields included.
pub const MAX_STEPS: u32 = 20_000;

const KEYWORDS: [&str; 5] = ["and", "or", "not", "true", "false"];

/// Whether `s` is a word of the language (not usable as a field id).
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Why an expression does not parse or evaluate.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprError {
    /// Not well formed: what was wrong, at which character.
    Syntax {
        at: usize,
        what: String,
    },
    TooLong,
    TooDeep,
    TooManySteps,
    /// A computed value or condition that depends on itself.
    Cycle(String),
    /// An operation on the wrong kind of value.
    Type(String),
    /// A name that is no field.
    Unknown(String),
    DivisionByZero,
    /// A number too large to compute with.
    Overflow,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExprError::Syntax { at, what } => write!(f, "syntax error at character {}: {what}", at + 1),
            ExprError::TooLong => write!(f, "longer than {MAX_LEN} characters"),
            ExprError::TooDeep => write!(f, "nested deeper than {MAX_DEPTH} levels"),
            ExprError::TooManySteps => write!(f, "takes more than {MAX_STEPS} steps to evaluate"),
            ExprError::Cycle(id) => write!(f, "depends on itself through `{id}`"),
            ExprError::Type(what) => write!(f, "{what}"),
            ExprError::Unknown(id) => write!(f, "refers to `{id}`, which is no field"),
            ExprError::DivisionByZero => write!(f, "divides by zero"),
            ExprError::Overflow => write!(f, "computes a number too large"),
        }
    }
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Str(String),
    Bool(bool),
    /// A field by id (in a group row: the row's field first).
    Ref(String),
    /// `group.field`, only inside `sum`.
    Path(String, String),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    If,
    Count,
    Contains,
    Sum,
    Min,
    Max,
    Round,
    Answered,
}

impl Func {
    fn by_name(s: &str) -> Option<Func> {
        Some(match s {
            "if" => Func::If,
            "count" => Func::Count,
            "contains" => Func::Contains,
            "sum" => Func::Sum,
            "min" => Func::Min,
            "max" => Func::Max,
            "round" => Func::Round,
            "answered" => Func::Answered,
            _ => return None,
        })
    }

    /// How many arguments: (fewest, most).
    fn arity(self) -> (usize, usize) {
        match self {
            Func::If => (3, 3),
            Func::Count | Func::Sum | Func::Round | Func::Answered => (1, 1),
            Func::Contains => (2, 2),
            Func::Min | Func::Max => (1, 16),
        }
    }
}

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No answer.
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// The choices of a `multi_choice`.
    List(Vec<String>),
}

impl Value {
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
        }
    }

    /// The value as a number: no answer is 0.
    pub fn num(&self) -> Result<f64, ExprError> {
        match self {
            Value::Null => Ok(0.0),
            Value::Num(n) => Ok(*n),
            other => Err(ExprError::Type(format!("{} is not a number", other.kind()))),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "no answer",
            Value::Bool(_) => "a truth value",
            Value::Num(_) => "a number",
            Value::Str(_) => "a text",
            Value::List(_) => "a list of choices",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Name(String),
    LParen,
    RParen,
    Comma,
    Dot,
    Op(&'static str),
    End,
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = vec![];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | ')' | ',' | '.' | '+' | '-' | '*' | '/' => {
                out.push((
                    start,
                    match c {
                        '(' => Tok::LParen,
                        ')' => Tok::RParen,
                        ',' => Tok::Comma,
                        '.' => Tok::Dot,
                        '+' => Tok::Op("+"),
                        '-' => Tok::Op("-"),
                        '*' => Tok::Op("*"),
                        _ => Tok::Op("/"),
                    },
                ));
                i += 1;
            }
            '=' | '!' | '<' | '>' => {
                let two = chars.get(i + 1) == Some(&'=');
                let op = match (c, two) {
                    ('=', true) => "==",
                    ('!', true) => "!=",
                    ('<', true) => "<=",
                    ('>', true) => ">=",
                    ('<', false) => "<",
                    ('>', false) => ">",
                    _ => return Err(ExprError::Syntax { at: start, what: format!("`{c}` alone is no operator (use `==` or `!=`)") }),
                };
                out.push((start, Tok::Op(op)));
                i += if two { 2 } else { 1 };
            }
            '"' | '\'' => {
                let quote = c;
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(ExprError::Syntax { at: start, what: "text without its closing quote".into() }),
                        Some('\\') => {
                            match chars.get(i + 1) {
                                Some(&n) if n == quote || n == '\\' => s.push(n),
                                _ => {
                                    return Err(ExprError::Syntax {
                                        at: i,
                                        what: "only \\\" , \\' and \\\\ may follow a backslash".into(),
                                    });
                                }
                            }
                            i += 2;
                        }
                        Some(&n) if n == quote => {
                            i += 1;
                            break;
                        }
                        Some(&n) => {
                            s.push(n);
                            i += 1;
                        }
                    }
                }
                out.push((start, Tok::Str(s)));
            }
            '0'..='9' => {
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                    i += 1;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                let text: String = chars[start..i].iter().collect();
                let n: f64 = text.parse().map_err(|_| ExprError::Syntax { at: start, what: format!("`{text}` is no number") })?;
                if !n.is_finite() || text.len() > 18 {
                    return Err(ExprError::Overflow);
                }
                out.push((start, Tok::Num(n)));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push((start, Tok::Name(chars[start..i].iter().collect())));
            }
            other => return Err(ExprError::Syntax { at: start, what: format!("unexpected character `{other}`") }),
        }
    }
    out.push((chars.len(), Tok::End));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Parser

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
}

/// Parses an expression.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    if src.chars().count() > MAX_LEN {
        return Err(ExprError::TooLong);
    }
    let mut p = Parser { toks: lex(src)?, pos: 0 };
    let e = p.or(0)?;
    match p.peek() {
        Tok::End => Ok(e),
        other => Err(p.error(format!("unexpected {}", describe(other)))),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => format!("number {n}"),
        Tok::Str(s) => format!("text \"{s}\""),
        Tok::Name(n) => format!("`{n}`"),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Dot => "`.`".into(),
        Tok::Op(o) => format!("`{o}`"),
        Tok::End => "end of expression".into(),
    }
}

impl Parser {
    /// The token at the position; past the end, the end (lexing always ends with one).
    fn at(&self) -> &(usize, Tok) {
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn peek(&self) -> &Tok {
        &self.at().1
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn error(&self, what: String) -> ExprError {
        ExprError::Syntax { at: self.at().0, what }
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == w)
    }

    fn guard(depth: usize) -> Result<(), ExprError> {
        if depth > MAX_DEPTH { Err(ExprError::TooDeep) } else { Ok(()) }
    }

    fn or(&mut self, depth: usize) -> Result<Expr, ExprError> {
        Self::guard(depth)?;
        let mut lhs = self.and(depth)?;
        let mut d = depth;
        while self.is_word("or") {
            self.next();
            d += 1;
            Self::guard(d)?;
            let rhs = self.and(d)?;
            lhs = Expr::Bin(BinOp::Or, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn and(&mut self, depth: usize) -> Result<Expr, ExprError> {
        Self::guard(depth)?;
        let mut lhs = self.not(depth)?;
        let mut d = depth;
        while self.is_word("and") {
            self.next();
            d += 1;
            Self::guard(d)?;
            let rhs = self.not(d)?;
            lhs = Expr::Bin(BinOp::And, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn not(&mut self, depth: usize) -> Result<Expr, ExprError> {
        Self::guard(depth)?;
        if self.is_word("not") {
            self.next();
            return Ok(Expr::Not(Box::new(self.not(depth + 1)?)));
        }
        self.cmp(depth)
    }

    fn cmp(&mut self, depth: usize) -> Result<Expr, ExprError> {
        Self::guard(depth)?;
        let lhs = self.sum(depth)?;
        let op = match self.peek() {
            Tok::Op("==") => BinOp::Eq,
            Tok::Op("!=") => BinOp::Ne,
            Tok::Op("<") => BinOp::Lt,
            Tok::Op("<=") => BinOp::Le,
            Tok::Op(">") => BinOp::Gt,
            Tok::Op(">=") => BinOp::Ge,
            _ => return Ok(lhs),
        };
        self.next();
        let rhs = self.sum(depth)?;
        if matches!(self.peek(), Tok::Op("==" | "!=" | "<" | "<=" | ">" | ">=")) {
            return Err(self.error("comparisons do not chain; use `and`".into()));
        }
        Ok(Expr::Bin(op, Box::new(lhs), Box::new(rhs)))
    }

    fn sum(&mut self, depth: usize) -> Result<Expr, ExprError> {
        Self::guard(depth)?;
        let mut lhs = self.product(depth)?;
        let mut d = depth;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.next();
            d += 1;
            Self::guard(d)?;
            let rhs = self.product(d)?;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn product(&mut self, depth: usize) -> Result<Expr, ExprError> {
        Self::guard(depth)?;
        let mut lhs = self.unary(depth)?;
        let mut d = depth;
        loop {
            let op = match self.peek() {
                Tok::Op("*") => BinOp::Mul,
                Tok::Op("/") => BinOp::Div,
                _ => return Ok(lhs),
            };
            self.next();
            d += 1;
            Self::guard(d)?;
            let rhs = self.unary(d)?;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, ExprError> {
        Self::guard(depth)?;
        if matches!(self.peek(), Tok::Op("-")) {
            self.next();
            return Ok(Expr::Neg(Box::new(self.unary(depth + 1)?)));
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, ExprError> {
        Self::guard(depth)?;
        match self.next() {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::LParen => {
                let e = self.or(depth + 1)?;
                match self.next() {
                    Tok::RParen => Ok(e),
                    other => {
                        self.pos -= 1;
                        Err(self.error(format!("expected `)`, found {}", describe(&other))))
                    }
                }
            }
            Tok::Name(n) => match n.as_str() {
                "true" => Ok(Expr::Bool(true)),
                "false" => Ok(Expr::Bool(false)),
                "and" | "or" | "not" => {
                    self.pos -= 1;
                    Err(self.error(format!("`{n}` needs a value before it")))
                }
                _ if matches!(self.peek(), Tok::LParen) => {
                    let Some(func) = Func::by_name(&n) else {
                        self.pos -= 1;
                        return Err(self.error(format!("`{n}` is no function")));
                    };
                    self.next();
                    let mut args = vec![];
                    if !matches!(self.peek(), Tok::RParen) {
                        loop {
                            args.push(self.or(depth + 1)?);
                            match self.next() {
                                Tok::Comma => continue,
                                Tok::RParen => break,
                                other => {
                                    self.pos -= 1;
                                    return Err(self.error(format!("expected `,` or `)`, found {}", describe(&other))));
                                }
                            }
                        }
                    } else {
                        self.next();
                    }
                    let (lo, hi) = func.arity();
                    if args.len() < lo || args.len() > hi {
                        return Err(self.error(format!(
                            "`{n}` takes {}",
                            if lo == hi { format!("{lo} argument(s)") } else { format!("{lo} to {hi} arguments") }
                        )));
                    }
                    Ok(Expr::Call(func, args))
                }
                _ if matches!(self.peek(), Tok::Dot) => {
                    self.next();
                    match self.next() {
                        Tok::Name(sub) => Ok(Expr::Path(n, sub)),
                        other => {
                            self.pos -= 1;
                            Err(self.error(format!("expected a field after `.`, found {}", describe(&other))))
                        }
                    }
                }
                _ => Ok(Expr::Ref(n)),
            },
            other => {
                self.pos -= 1;
                Err(self.error(format!("expected a value, found {}", describe(&other))))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// The answers an expression reads, and the budget it spends.
pub trait Env {
    /// The value of field `id` (in a group row, the row's own field first).
    fn lookup(&mut self, id: &str, budget: &mut Budget) -> Result<Value, ExprError>;
    /// `count(id)`: the rows of a group or the choices of a multi-choice.
    fn count(&mut self, id: &str, budget: &mut Budget) -> Result<Value, ExprError>;
    /// `sum(group.field)`.
    fn sum(&mut self, group: &str, field: &str, budget: &mut Budget) -> Result<Value, ExprError>;
}

/// What one evaluation may still spend.
#[derive(Debug)]
pub struct Budget {
    steps: u32,
}

impl Default for Budget {
    fn default() -> Self {
        Self { steps: MAX_STEPS }
    }
}

impl Budget {
    pub fn spend(&mut self) -> Result<(), ExprError> {
        self.steps = self.steps.checked_sub(1).ok_or(ExprError::TooManySteps)?;
        Ok(())
    }
}

fn finite(n: f64) -> Result<Value, ExprError> {
    if n.is_finite() && n.abs() < 1e15 { Ok(Value::Num(n)) } else { Err(ExprError::Overflow) }
}

/// Evaluates `e`.
pub fn eval(e: &Expr, env: &mut dyn Env, budget: &mut Budget) -> Result<Value, ExprError> {
    budget.spend()?;
    match e {
        Expr::Num(n) => Ok(Value::Num(*n)),
        Expr::Str(s) => Ok(Value::Str(s.clone())),
        Expr::Bool(b) => Ok(Value::Bool(*b)),
        Expr::Ref(id) => env.lookup(id, budget),
        Expr::Path(g, f) => Err(ExprError::Type(format!("`{g}.{f}` can only be summed: sum({g}.{f})"))),
        Expr::Not(a) => Ok(Value::Bool(!eval(a, env, budget)?.truthy())),
        Expr::Neg(a) => finite(-eval(a, env, budget)?.num()?),
        Expr::Bin(BinOp::And, a, b) => Ok(Value::Bool(eval(a, env, budget)?.truthy() && eval(b, env, budget)?.truthy())),
        Expr::Bin(BinOp::Or, a, b) => Ok(Value::Bool(eval(a, env, budget)?.truthy() || eval(b, env, budget)?.truthy())),
        Expr::Bin(op, a, b) => {
            let (a, b) = (eval(a, env, budget)?, eval(b, env, budget)?);
            if op.is_comparison() { compare(*op, &a, &b) } else { arithmetic(*op, &a, &b) }
        }
        Expr::Call(func, args) => call(*func, args, env, budget),
    }
}

fn compare(op: BinOp, a: &Value, b: &Value) -> Result<Value, ExprError> {
    use std::cmp::Ordering;
    let eq = match (a, b) {
        (Value::Num(x), Value::Num(y)) => x == y,
        _ => a == b,
    };
    let ord: Option<Ordering> = match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(y),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Null, _) | (_, Value::Null) => None,
        _ if matches!(op, BinOp::Eq | BinOp::Ne) => None,
        _ => return Err(ExprError::Type(format!("cannot order {} and {}", a.kind(), b.kind()))),
    };
    Ok(Value::Bool(match op {
        BinOp::Eq => eq,
        BinOp::Ne => !eq,
        BinOp::Lt => ord == Some(Ordering::Less),
        BinOp::Le => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        BinOp::Gt => ord == Some(Ordering::Greater),
        _ => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
    }))
}

fn arithmetic(op: BinOp, a: &Value, b: &Value) -> Result<Value, ExprError> {
    let (x, y) = (a.num()?, b.num()?);
    finite(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        _ => {
            if y == 0.0 {
                return Err(ExprError::DivisionByZero);
            }
            x / y
        }
    })
}

fn call(func: Func, args: &[Expr], env: &mut dyn Env, budget: &mut Budget) -> Result<Value, ExprError> {
    match func {
        Func::If => {
            let c = eval(&args[0], env, budget)?.truthy();
            eval(&args[if c { 1 } else { 2 }], env, budget)
        }
        Func::Count => match &args[0] {
            Expr::Ref(id) => env.count(id, budget),
            _ => Err(ExprError::Type("count() takes a group or a multiple choice".into())),
        },
        Func::Answered => match &args[0] {
            Expr::Ref(id) => Ok(Value::Bool(env.lookup(id, budget)? != Value::Null)),
            _ => Err(ExprError::Type("answered() takes a field".into())),
        },
        Func::Sum => match &args[0] {
            Expr::Path(g, f) => env.sum(g, f, budget),
            _ => Err(ExprError::Type("sum() takes group.field".into())),
        },
        Func::Contains => {
            let list = eval(&args[0], env, budget)?;
            let Value::Str(x) = eval(&args[1], env, budget)? else {
                return Err(ExprError::Type("contains() looks for a text".into()));
            };
            match list {
                Value::List(l) => Ok(Value::Bool(l.contains(&x))),
                Value::Null => Ok(Value::Bool(false)),
                other => Err(ExprError::Type(format!("contains() looks in a multiple choice, not {}", other.kind()))),
            }
        }
        Func::Min | Func::Max => {
            let mut acc: Option<f64> = None;
            for a in args {
                let n = eval(a, env, budget)?.num()?;
                acc = Some(match acc {
                    None => n,
                    Some(m) if func == Func::Min => m.min(n),
                    Some(m) => m.max(n),
                });
            }
            finite(acc.unwrap_or(0.0))
        }
        Func::Round => finite(eval(&args[0], env, budget)?.num()?.round()),
    }
}

// ---------------------------------------------------------------------------------------------
// Static helpers for the linter

/// Every field an expression names: plain names and `group.field` paths (as `group.field`),
/// with whether it is the argument of `count`/`sum`/`answered`/`contains`' list.
pub fn references(e: &Expr) -> Vec<Reference> {
    fn walk(e: &Expr, ctx: RefUse, out: &mut Vec<Reference>) {
        match e {
            Expr::Num(_) | Expr::Str(_) | Expr::Bool(_) => {}
            Expr::Ref(id) => out.push(Reference { id: id.clone(), sub: None, usage: ctx }),
            Expr::Path(g, f) => out.push(Reference { id: g.clone(), sub: Some(f.clone()), usage: ctx }),
            Expr::Not(a) | Expr::Neg(a) => walk(a, RefUse::Value, out),
            Expr::Bin(_, a, b) => {
                walk(a, RefUse::Value, out);
                walk(b, RefUse::Value, out);
            }
            Expr::Call(func, args) => {
                for (i, a) in args.iter().enumerate() {
                    let usage = match (func, i) {
                        (Func::Count, _) => RefUse::Count,
                        (Func::Sum, _) => RefUse::Sum,
                        (Func::Answered, _) => RefUse::Answered,
                        (Func::Contains, 0) => RefUse::Contains,
                        _ => RefUse::Value,
                    };
                    walk(a, usage, out);
                }
            }
        }
    }
    let mut out = vec![];
    walk(e, RefUse::Value, &mut out);
    out
}

/// A field named by an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub id: String,
    /// The field after the dot of `group.field`.
    pub sub: Option<String>,
    pub usage: RefUse,
}

/// How an expression uses a field it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefUse {
    Value,
    Count,
    Sum,
    Answered,
    Contains,
}

/// Every comparison of a field with a text literal (`kind == "x"`, `"x" != kind`,
/// `contains(kind, "x")`): the field and the text.
pub fn literal_comparisons(e: &Expr) -> Vec<(String, String)> {
    fn walk(e: &Expr, out: &mut Vec<(String, String)>) {
        match e {
            Expr::Bin(op, a, b) if op.is_comparison() => match (a.as_ref(), b.as_ref()) {
                (Expr::Ref(id), Expr::Str(s)) | (Expr::Str(s), Expr::Ref(id)) => out.push((id.clone(), s.clone())),
                _ => {
                    walk(a, out);
                    walk(b, out);
                }
            },
            Expr::Call(Func::Contains, args) => match (&args[0], &args[1]) {
                (Expr::Ref(id), Expr::Str(s)) => out.push((id.clone(), s.clone())),
                _ => args.iter().for_each(|a| walk(a, out)),
            },
            Expr::Bin(_, a, b) => {
                walk(a, out);
                walk(b, out);
            }
            Expr::Not(a) | Expr::Neg(a) => walk(a, out),
            Expr::Call(_, args) => args.iter().for_each(|a| walk(a, out)),
            _ => {}
        }
    }
    let mut out = vec![];
    walk(e, &mut out);
    out
}

/// The value of `e` when it does not depend on any answer (constant folding), or `None`.
/// `known` may fix sub-expressions whose value the caller knows without answers (a comparison
/// of a choice with a value that is not one of its options).
pub fn fold(e: &Expr, known: &dyn Fn(&Expr) -> Option<Value>) -> Option<Value> {
    if let Some(v) = known(e) {
        return Some(v);
    }
    match e {
        Expr::Num(n) => Some(Value::Num(*n)),
        Expr::Str(s) => Some(Value::Str(s.clone())),
        Expr::Bool(b) => Some(Value::Bool(*b)),
        Expr::Ref(_) | Expr::Path(..) => None,
        Expr::Not(a) => fold(a, known).map(|v| Value::Bool(!v.truthy())),
        Expr::Neg(a) => fold(a, known).and_then(|v| v.num().ok()).map(|n| Value::Num(-n)),
        Expr::Bin(op @ (BinOp::And | BinOp::Or), a, b) => {
            let (fa, fb) = (fold(a, known).map(|v| v.truthy()), fold(b, known).map(|v| v.truthy()));
            let absorbing = *op == BinOp::Or; // true absorbs `or`, false absorbs `and`
            if fa == Some(absorbing) || fb == Some(absorbing) {
                return Some(Value::Bool(absorbing));
            }
            match (fa, fb) {
                (Some(x), Some(y)) => Some(Value::Bool(if absorbing { x || y } else { x && y })),
                _ => None,
            }
        }
        Expr::Bin(op, a, b) => {
            let (a, b) = (fold(a, known)?, fold(b, known)?);
            if op.is_comparison() { compare(*op, &a, &b).ok() } else { arithmetic(*op, &a, &b).ok() }
        }
        Expr::Call(Func::If, args) => {
            let c = fold(&args[0], known)?.truthy();
            fold(&args[if c { 1 } else { 2 }], known)
        }
        Expr::Call(Func::Min | Func::Max | Func::Round, args) => {
            let vals: Option<Vec<Value>> = args.iter().map(|a| fold(a, known)).collect();
            let vals = vals?;
            let mut env = NoAnswers;
            let consts: Vec<Expr> = vals
                .into_iter()
                .map(|v| match v {
                    Value::Num(n) => Some(Expr::Num(n)),
                    Value::Null => Some(Expr::Num(0.0)),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            let Expr::Call(func, _) = e else { return None };
            call(*func, &consts, &mut env, &mut Budget::default()).ok()
        }
        Expr::Call(..) => None,
    }
}

/// An environment without answers (every field unanswered).
pub struct NoAnswers;

impl Env for NoAnswers {
    fn lookup(&mut self, _: &str, _: &mut Budget) -> Result<Value, ExprError> {
        Ok(Value::Null)
    }
    fn count(&mut self, _: &str, _: &mut Budget) -> Result<Value, ExprError> {
        Ok(Value::Num(0.0))
    }
    fn sum(&mut self, _: &str, _: &str, _: &mut Budget) -> Result<Value, ExprError> {
        Ok(Value::Num(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, Value>);

    impl Env for Map {
        fn lookup(&mut self, id: &str, budget: &mut Budget) -> Result<Value, ExprError> {
            budget.spend()?;
            self.0.get(id).cloned().ok_or_else(|| ExprError::Unknown(id.to_string()))
        }
        fn count(&mut self, id: &str, budget: &mut Budget) -> Result<Value, ExprError> {
            match self.lookup(id, budget)? {
                Value::List(l) => Ok(Value::Num(l.len() as f64)),
                _ => Ok(Value::Num(0.0)),
            }
        }
        fn sum(&mut self, _: &str, _: &str, _: &mut Budget) -> Result<Value, ExprError> {
            Ok(Value::Num(42.0))
        }
    }

    fn run(src: &str) -> Result<Value, ExprError> {
        let mut env = Map(HashMap::from([
            ("kind", Value::Str("nybyggnad".into())),
            ("area", Value::Num(120.0)),
            ("extras", Value::List(vec!["garage".into(), "pool".into()])),
            ("none", Value::Null),
            ("yes", Value::Bool(true)),
        ]));
        eval(&parse(src)?, &mut env, &mut Budget::default())
    }

    #[test]
    fn evaluates_the_language() {
        assert_eq!(run("1 + 2 * 3"), Ok(Value::Num(7.0)));
        assert_eq!(run("(1 + 2) * 3"), Ok(Value::Num(9.0)));
        assert_eq!(run("10 - 4 - 3"), Ok(Value::Num(3.0)));
        assert_eq!(run("-area + 20"), Ok(Value::Num(-100.0)));
        assert_eq!(run("kind == \"nybyggnad\" and area > 100"), Ok(Value::Bool(true)));
        assert_eq!(run("kind != 'nybyggnad' or not yes"), Ok(Value::Bool(false)));
        assert_eq!(run("if(area >= 120, 5000, 2000)"), Ok(Value::Num(5000.0)));
        assert_eq!(run("count(extras)"), Ok(Value::Num(2.0)));
        assert_eq!(run("contains(extras, \"pool\")"), Ok(Value::Bool(true)));
        assert_eq!(run("contains(none, \"pool\")"), Ok(Value::Bool(false)));
        assert_eq!(run("sum(rooms.area)"), Ok(Value::Num(42.0)));
        assert_eq!(run("min(area, 100, 300)"), Ok(Value::Num(100.0)));
        assert_eq!(run("max(area, 100, 300)"), Ok(Value::Num(300.0)));
        assert_eq!(run("round(area / 7)"), Ok(Value::Num(17.0)));
        assert_eq!(run("answered(none)"), Ok(Value::Bool(false)));
        assert_eq!(run("answered(area)"), Ok(Value::Bool(true)));
        // No answer is 0 in arithmetic and equal only to no answer.
        assert_eq!(run("none + 5"), Ok(Value::Num(5.0)));
        assert_eq!(run("none == \"x\""), Ok(Value::Bool(false)));
        assert_eq!(run("none < 5"), Ok(Value::Bool(false)));
        assert_eq!(run("'a\\'b' == \"a'b\""), Ok(Value::Bool(true)));
        assert_eq!(run("2.5 * 2"), Ok(Value::Num(5.0)));
    }

    #[test]
    fn refuses_wrong_types_and_arithmetic_faults() {
        assert!(matches!(run("kind + 1"), Err(ExprError::Type(_))));
        assert!(matches!(run("kind < 3"), Err(ExprError::Type(_))));
        assert!(matches!(run("contains(kind, 'x')"), Err(ExprError::Type(_))));
        assert!(matches!(run("contains(extras, 3)"), Err(ExprError::Type(_))));
        assert!(matches!(run("rooms.area"), Err(ExprError::Type(_))));
        assert!(matches!(run("count(1)"), Err(ExprError::Type(_))));
        assert_eq!(run("area / (area - 120)"), Err(ExprError::DivisionByZero));
        assert_eq!(run("999999999999 * 999999999999"), Err(ExprError::Overflow));
        assert_eq!(run("9999999999999999999999"), Err(ExprError::Overflow));
        assert!(matches!(run("missing == 1"), Err(ExprError::Unknown(_))));
    }

    #[test]
    fn syntax_errors_say_where() {
        for bad in [
            "",
            "1 +",
            "(1",
            "1)",
            "kind = 'x'",
            "'open",
            "foo(1)",
            "if(1, 2)",
            "a.",
            "a . 1",
            "1 2",
            "and",
            "x == 1 == 2",
            "#",
            "count()",
            "€",
        ] {
            assert!(matches!(parse(bad), Err(ExprError::Syntax { .. })), "{bad:?} parsed: {:?}", parse(bad));
        }
        let Err(ExprError::Syntax { at, .. }) = parse("area > ") else { panic!() };
        assert_eq!(at, 7);
    }

    #[test]
    fn hostile_expressions_are_bounded() {
        // Deep nesting: an error, never a stack overflow.
        let deep = format!("{}1{}", "(".repeat(900), ")".repeat(900));
        assert_eq!(parse(&deep), Err(ExprError::TooDeep));
        let nots = format!("{}true", "not ".repeat(400));
        assert_eq!(parse(&nots), Err(ExprError::TooDeep));
        let chain = vec!["1"; 300].join(" + ");
        assert_eq!(parse(&chain), Err(ExprError::TooDeep));
        let long = format!("area + {}", "0".repeat(MAX_LEN));
        assert_eq!(parse(&long), Err(ExprError::TooLong));
        // Many steps: an error, never a hang.
        let e = parse("area + area").expect("parses");
        let mut env = Map(HashMap::from([("area", Value::Num(1.0))]));
        let mut budget = Budget { steps: 3 };
        assert_eq!(eval(&e, &mut env, &mut budget), Err(ExprError::TooManySteps));
        // Wide but shallow expressions within the limits still evaluate.
        let wide = (0..20).map(|_| "max(area, 1, 2, 3)").collect::<Vec<_>>().join(" + ");
        assert_eq!(run(&wide), Ok(Value::Num(2400.0)));
    }

    #[test]
    fn random_token_soup_never_panics() {
        let tokens = [
            "(",
            ")",
            ",",
            ".",
            "+",
            "-",
            "*",
            "/",
            "==",
            "!=",
            "<",
            "<=",
            ">",
            ">=",
            "=",
            "!",
            "and",
            "or",
            "not",
            "true",
            "false",
            "if",
            "count",
            "contains",
            "sum",
            "min",
            "max",
            "round",
            "answered",
            "kind",
            "area",
            "extras",
            "none",
            "rooms",
            "1",
            "0",
            "99999999999999999",
            "2.5",
            "\"x\"",
            "'nybyggnad'",
            "\"",
            "'",
            "\\",
            "§",
            "ä",
        ];
        let mut state: u64 = 42;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        for _ in 0..20_000 {
            let n = next() % 30;
            let src: Vec<&str> = (0..n).map(|_| tokens[next() % tokens.len()]).collect();
            let src = src.join(if next() % 2 == 0 { " " } else { "" });
            if let Ok(e) = parse(&src) {
                let _ = run(&src);
                let _ = references(&e);
                let _ = literal_comparisons(&e);
                let _ = fold(&e, &|_| None);
            }
        }
    }

    #[test]
    fn references_and_folding() {
        let e = parse("kind == 'a' and count(rows) > 1 and sum(rows.area) > 3 and contains(extras, 'x')").expect("parses");
        let refs: Vec<(String, Option<String>, RefUse)> = references(&e).into_iter().map(|r| (r.id, r.sub, r.usage)).collect();
        assert_eq!(
            refs,
            vec![
                ("kind".into(), None, RefUse::Value),
                ("rows".into(), None, RefUse::Count),
                ("rows".into(), Some("area".into()), RefUse::Sum),
                ("extras".into(), None, RefUse::Contains)
            ]
        );
        assert_eq!(literal_comparisons(&e), vec![("kind".into(), "a".into()), ("extras".into(), "x".into())]);
        let none = |_: &Expr| None;
        assert_eq!(fold(&parse("1 > 2").expect("parses"), &none), Some(Value::Bool(false)));
        assert_eq!(fold(&parse("kind == 'a' and 1 > 2").expect("parses"), &none), Some(Value::Bool(false)));
        assert_eq!(fold(&parse("kind == 'a' or 2 > 1").expect("parses"), &none), Some(Value::Bool(true)));
        assert_eq!(fold(&parse("kind == 'a'").expect("parses"), &none), None);
        assert_eq!(fold(&parse("if(false, kind, 3) + 1").expect("parses"), &none), Some(Value::Num(4.0)));
        assert_eq!(fold(&parse("not (2 * 3 == 6)").expect("parses"), &none), Some(Value::Bool(false)));
        assert_eq!(fold(&parse("max(1, 7) == 7").expect("parses"), &none), Some(Value::Bool(true)));
        let known = |e: &Expr| matches!(e, Expr::Bin(BinOp::Eq, a, _) if **a == Expr::Ref("kind".into())).then_some(Value::Bool(false));
        assert_eq!(fold(&parse("kind == 'zzz' and area > 1").expect("parses"), &known), Some(Value::Bool(false)));
    }
}
