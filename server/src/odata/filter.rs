//! The `$filter` grammar: a tokenizer and a recursive-descent parser. Every error names the
//! position (1-based, in bytes of the decoded option) and nesting is bounded, so hostile input
//! costs little and never overflows the stack.
use super::ast::{CmpOp, Expr, LambdaKind, Literal, Operand, Path};
use super::{ODataError, MAX_FILTER_DEPTH};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    DateTime(String),
    Int(i64),
    LParen,
    RParen,
    Comma,
    Slash,
    Colon,
    End,
}

const KEYWORDS: &[&str] = &[
    "and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le", "in", "null", "true", "false",
];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

fn err(pos: usize, msg: impl std::fmt::Display) -> ODataError {
    ODataError(format!("{msg} at position {}", pos + 1))
}

fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, ODataError> {
    let bytes = src.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let tok = match bytes[i] {
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b',' => Tok::Comma,
            b'/' => Tok::Slash,
            b':' => Tok::Colon,
            b'\'' => {
                let (s, end) = string_literal(src, i)?;
                i = end;
                toks.push((Tok::Str(s), start));
                continue;
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                if matches!(bytes.get(i), Some(b'.' | b'e' | b'E')) {
                    return Err(err(start, "decimal numbers are not supported"));
                }
                let n = src[start..i]
                    .parse::<i64>()
                    .map_err(|_| err(start, "invalid or too large integer"))?;
                toks.push((Tok::Int(n), start));
                continue;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let word = &src[start..i];
                if word == "datetime" && bytes.get(i) == Some(&b'\'') {
                    let (s, end) = string_literal(src, i)?;
                    i = end;
                    toks.push((Tok::DateTime(s), start));
                } else {
                    toks.push((Tok::Ident(word.to_owned()), start));
                }
                continue;
            }
            _ => {
                let c = src[i..].chars().next().unwrap_or('?');
                return Err(err(i, format_args!("unexpected character {c:?}")));
            }
        };
        toks.push((tok, start));
        i += 1;
    }
    toks.push((Tok::End, src.len()));
    Ok(toks)
}

/// A `'...'` literal starting at `start` (`''` is a quote); returns it and the index after it.
fn string_literal(src: &str, start: usize) -> Result<(String, usize), ODataError> {
    let mut out = String::new();
    let mut rest = src[start + 1..].char_indices().peekable();
    while let Some((j, c)) = rest.next() {
        if c == '\'' {
            if rest.peek().map(|&(_, n)| n) == Some('\'') {
                rest.next();
                out.push('\'');
            } else {
                return Ok((out, start + 1 + j + 1));
            }
        } else {
            out.push(c);
        }
    }
    Err(err(start, "unterminated string"))
}

pub fn parse(src: &str) -> Result<Expr, ODataError> {
    let mut p = Parser {
        toks: tokenize(src)?,
        i: 0,
        depth: 0,
    };
    let e = p.or()?;
    match p.peek() {
        Tok::End => Ok(e),
        _ => Err(p.error("unexpected input")),
    }
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    i: usize,
    depth: usize,
}

/// An operand, or a lambda (which is a whole boolean expression on its own).
enum Parsed {
    Operand(Operand),
    Lambda(Expr),
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.i].0
    }

    fn pos(&self) -> usize {
        self.toks[self.i].1
    }

    fn bump(&mut self) -> Tok {
        let t = self.toks[self.i].0.clone();
        if self.i + 1 < self.toks.len() {
            self.i += 1;
        }
        t
    }

    fn error(&self, msg: &str) -> ODataError {
        match self.peek() {
            Tok::End => err(self.pos(), format_args!("{msg}: unexpected end")),
            _ => err(self.pos(), msg),
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Ident(w) if w == word)
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> Result<(), ODataError> {
        if self.peek() == tok {
            self.bump();
            Ok(())
        } else {
            Err(self.error(&format!("expected {what}")))
        }
    }

    fn enter(&mut self) -> Result<(), ODataError> {
        self.depth += 1;
        if self.depth > MAX_FILTER_DEPTH {
            return Err(err(self.pos(), "expression nested too deeply"));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, ODataError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.bump();
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ODataError> {
        let mut left = self.unary()?;
        while self.is_word("and") {
            self.bump();
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ODataError> {
        if self.is_word("not") {
            self.enter()?;
            self.bump();
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(e)));
        }
        if *self.peek() == Tok::LParen {
            self.enter()?;
            self.bump();
            let e = self.or()?;
            self.depth -= 1;
            self.expect(&Tok::RParen, "')'")?;
            return Ok(e);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ODataError> {
        let left = match self.operand()? {
            Parsed::Lambda(e) => return Ok(e),
            Parsed::Operand(o) => o,
        };
        let op = match self.peek() {
            Tok::Ident(w) => match w.as_str() {
                "eq" => CmpOp::Eq,
                "ne" => CmpOp::Ne,
                "gt" => CmpOp::Gt,
                "ge" => CmpOp::Ge,
                "lt" => CmpOp::Lt,
                "le" => CmpOp::Le,
                "in" => return self.in_list(left),
                _ => return Err(self.error("expected an operator (eq, ne, gt, ge, lt, le, in)")),
            },
            _ => return Err(self.error("expected an operator (eq, ne, gt, ge, lt, le, in)")),
        };
        self.bump();
        match self.operand()? {
            Parsed::Operand(right) => Ok(Expr::Compare(left, op, right)),
            Parsed::Lambda(_) => Err(err(self.pos(), "a lambda cannot be compared")),
        }
    }

    fn in_list(&mut self, left: Operand) -> Result<Expr, ODataError> {
        let Operand::Path(path) = left else {
            return Err(self.error("'in' needs a field on its left"));
        };
        self.bump();
        self.expect(&Tok::LParen, "'(' after 'in'")?;
        let mut list = Vec::new();
        loop {
            match self.operand()? {
                Parsed::Operand(Operand::Literal(l)) => list.push(l),
                _ => return Err(self.error("'in' takes a list of literals")),
            }
            match self.peek() {
                Tok::Comma => {}
                Tok::RParen => {
                    self.bump();
                    return Ok(Expr::In(path, list));
                }
                _ => return Err(self.error("expected ',' or ')'")),
            }
            self.bump();
        }
    }

    fn operand(&mut self) -> Result<Parsed, ODataError> {
        let pos = self.pos();
        if matches!(
            self.peek(),
            Tok::LParen | Tok::RParen | Tok::Comma | Tok::Slash | Tok::Colon | Tok::End
        ) {
            return Err(self.error("expected a field or a literal"));
        }
        let lit = match self.bump() {
            Tok::Str(s) => Literal::Str(s),
            Tok::DateTime(s) => Literal::DateTime(s),
            Tok::Int(n) => Literal::Int(n),
            Tok::Ident(w) => match w.as_str() {
                "null" => Literal::Null,
                "true" => Literal::Bool(true),
                "false" => Literal::Bool(false),
                _ if is_keyword(&w) => return Err(err(pos, format_args!("unexpected '{w}'"))),
                _ => return self.path(w),
            },
            _ => unreachable!("punctuation is handled above"),
        };
        Ok(Parsed::Operand(Operand::Literal(lit)))
    }

    fn path(&mut self, first: String) -> Result<Parsed, ODataError> {
        let mut segments = vec![first];
        while *self.peek() == Tok::Slash {
            self.bump();
            let pos = self.pos();
            let Tok::Ident(name) = self.bump() else {
                return Err(err(pos, "expected a name after '/'"));
            };
            let kind = match name.as_str() {
                "any" if *self.peek() == Tok::LParen => LambdaKind::Any,
                "all" if *self.peek() == Tok::LParen => LambdaKind::All,
                _ if is_keyword(&name) => {
                    return Err(err(pos, format_args!("unexpected '{name}'")))
                }
                _ => {
                    segments.push(name);
                    continue;
                }
            };
            return self.lambda(Path(segments), kind).map(Parsed::Lambda);
        }
        Ok(Parsed::Operand(Operand::Path(Path(segments))))
    }

    fn lambda(&mut self, path: Path, kind: LambdaKind) -> Result<Expr, ODataError> {
        self.bump(); // '('
        if *self.peek() == Tok::RParen {
            self.bump();
            return Ok(Expr::Lambda {
                path,
                kind,
                body: None,
            });
        }
        let pos = self.pos();
        let var = match self.bump() {
            Tok::Ident(v) if !is_keyword(&v) => v,
            _ => return Err(err(pos, "expected a lambda variable")),
        };
        self.expect(&Tok::Colon, "':' after the lambda variable")?;
        self.enter()?;
        let body = self.or()?;
        self.depth -= 1;
        self.expect(&Tok::RParen, "')' closing the lambda")?;
        Ok(Expr::Lambda {
            path,
            kind,
            body: Some((var, Box::new(body))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        parse(s).map(|e| e.to_string()).unwrap_or_else(|e| e.0)
    }

    #[test]
    fn precedence_and_shapes() {
        assert_eq!(
            p("a eq 1 or b eq 2 and not c ne null"),
            "(a eq 1) or ((b eq 2) and (not (c ne null)))"
        );
        assert_eq!(
            p("(a eq 1 or b eq 2) and c eq 'x'"),
            "((a eq 1) or (b eq 2)) and (c eq 'x')"
        );
        assert_eq!(p("id in (1, 2,3)"), "id in (1, 2, 3)");
        assert_eq!(p("name eq 'it''s'"), "name eq 'it''s'");
        assert_eq!(p("d gt datetime'2024-01-01'"), "d gt datetime'2024-01-01'");
        assert_eq!(
            p("user/any(u:u/username eq 'bob')"),
            "user/any(u: u/username eq 'bob')"
        );
        assert_eq!(p("a/b/all(x:x/c le -3)"), "a/b/all(x: x/c le -3)");
        assert_eq!(p("a/any()"), "a/any()");
        assert_eq!(
            p("is_of__actor eq 10 and name ne null"),
            "(is_of__actor eq 10) and (name ne null)"
        );
    }

    #[test]
    fn errors_name_a_position() {
        assert_eq!(
            p("a eq"),
            "expected a field or a literal: unexpected end at position 5"
        );
        assert_eq!(p("a eq 1)"), "unexpected input at position 7");
        assert_eq!(
            p("a xx 1"),
            "expected an operator (eq, ne, gt, ge, lt, le, in) at position 3"
        );
        assert_eq!(p("a eq 'x"), "unterminated string at position 6");
        assert_eq!(
            p("a eq 1.5"),
            "decimal numbers are not supported at position 6"
        );
        assert_eq!(
            p("a eq 99999999999999999999"),
            "invalid or too large integer at position 6"
        );
        assert_eq!(
            p("a eq 1; DROP TABLE x"),
            "unexpected character ';' at position 7"
        );
        assert_eq!(
            p("substringof('a', name)"),
            "expected an operator (eq, ne, gt, ge, lt, le, in) at position 12"
        );
        assert_eq!(p("a in ()"), "expected a field or a literal at position 7");
        assert_eq!(p("a in (b)"), "'in' takes a list of literals at position 8");
        assert_eq!(
            p(""),
            "expected a field or a literal: unexpected end at position 1"
        );
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{}a eq 1{}", "(".repeat(100), ")".repeat(100));
        assert!(p(&deep).contains("nested too deeply"));
        let nots = format!("{}a eq 1", "not ".repeat(100));
        assert!(p(&nots).contains("nested too deeply"));
        let ok = format!("{}a eq 1{}", "(".repeat(10), ")".repeat(10));
        assert_eq!(p(&ok), "a eq 1");
    }
}
