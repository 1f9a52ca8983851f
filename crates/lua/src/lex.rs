//! Lexer: turns Lua source into tokens, as llex.c does.
//!
//! The lexer keeps PUC Lua's token buffer (`buf`): the raw text of the token being read,
//! with escapes already replaced. Error messages quote it (`near '"abc'`), so the buffer
//! must hold exactly what C Lua's would at each error. Names and strings are interned in
//! [`Strings`], so the parser compares names by id.

use alloc::vec::Vec;

use crate::chunkid;
use crate::number::{self, Number};
use crate::tvec::{self, AllocError, TryVec};

/// A compilation failure inside the compiler. Kept two bytes long so that `Result`s
/// stay small; a finished message waits in [`Lexer::report`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Error {
    /// Out of memory.
    Memory,
    /// A limit hit by the code generator, which does not see the lexer: the message is
    /// completed with the position and the current token (`near ...`).
    Near(Limit),
    /// The complete message is in `Lexer::report`.
    Reported,
}

/// Limits the code generator reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Limit {
    ControlTooLong,
    TooManyRegisters,
    TooManyConstants,
}

impl Limit {
    pub(crate) fn text(self) -> &'static [u8] {
        match self {
            Limit::ControlTooLong => b"control structure too long",
            Limit::TooManyRegisters => b"function or expression needs too many registers",
            Limit::TooManyConstants => b"too many constants",
        }
    }
}

impl From<AllocError> for Error {
    fn from(_: AllocError) -> Self {
        Error::Memory
    }
}

pub(crate) type LexResult<T> = Result<T, Error>;

/// Index of an interned string in [`Strings`].
pub(crate) type StrId = u32;

/// Interned names and string literals of one chunk. Equal byte strings get the same id.
#[derive(Default)]
pub(crate) struct Strings {
    texts: Vec<Vec<u8>>,
    /// Open-addressing table of `id + 1`; 0 marks an empty slot. Its length is zero or
    /// a power of two, and at most half full.
    slots: Vec<u32>,
}

fn hash_bytes(s: &[u8]) -> u32 {
    s.iter().fold(0x811c_9dc5u32, |h, &c| {
        (h ^ c as u32).wrapping_mul(0x0100_0193)
    })
}

impl Strings {
    /// The bytes of string `id` (empty for an unknown id).
    pub(crate) fn get(&self, id: StrId) -> &[u8] {
        self.texts.get(id as usize).map_or(&[], |v| v.as_slice())
    }

    /// The id of `s`, adding it if new.
    pub(crate) fn intern(&mut self, s: &[u8]) -> Result<StrId, AllocError> {
        if (self.texts.len() + 1) * 2 > self.slots.len() {
            self.grow()?;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash_bytes(s) as usize & mask;
        loop {
            match self.slots.get(i).copied() {
                Some(0) | None => break,
                Some(slot) => {
                    if self.get(slot - 1) == s {
                        return Ok(slot - 1);
                    }
                }
            }
            i = (i + 1) & mask;
        }
        let id = self.texts.len() as u32;
        self.texts.try_push(tvec::try_copy_of(s)?)?;
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = id + 1;
        }
        Ok(id)
    }

    fn grow(&mut self) -> Result<(), AllocError> {
        let size = (self.slots.len() * 2).max(64);
        let mut slots = Vec::new();
        slots.try_resize(size, 0u32)?;
        let mask = size - 1;
        for (id, text) in self.texts.iter().enumerate() {
            let mut i = hash_bytes(text) as usize & mask;
            while slots.get(i).is_some_and(|&s| s != 0) {
                i = (i + 1) & mask;
            }
            if let Some(slot) = slots.get_mut(i) {
                *slot = id as u32 + 1;
            }
        }
        self.slots = slots;
        Ok(())
    }
}

/// Tokens. Reserved words come first, in the order of [`RESERVED`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    And,
    Break,
    Do,
    Else,
    Elseif,
    End,
    False,
    For,
    Function,
    Global,
    Goto,
    If,
    In,
    Local,
    Nil,
    Not,
    Or,
    Repeat,
    Return,
    Then,
    True,
    Until,
    While,
    IDiv,
    Concat,
    Dots,
    Eq,
    Ge,
    Le,
    Ne,
    Shl,
    Shr,
    DbColon,
    Eof,
    Float,
    Int,
    Name,
    String,
    /// Any other single character (`+`, `{`, `@`, ...).
    Char(u8),
}

/// Reserved words, in `Token` order.
const RESERVED: [&[u8]; 23] = [
    b"and",
    b"break",
    b"do",
    b"else",
    b"elseif",
    b"end",
    b"false",
    b"for",
    b"function",
    b"global",
    b"goto",
    b"if",
    b"in",
    b"local",
    b"nil",
    b"not",
    b"or",
    b"repeat",
    b"return",
    b"then",
    b"true",
    b"until",
    b"while",
];

const RESERVED_TOKENS: [Token; 23] = [
    Token::And,
    Token::Break,
    Token::Do,
    Token::Else,
    Token::Elseif,
    Token::End,
    Token::False,
    Token::For,
    Token::Function,
    Token::Global,
    Token::Goto,
    Token::If,
    Token::In,
    Token::Local,
    Token::Nil,
    Token::Not,
    Token::Or,
    Token::Repeat,
    Token::Return,
    Token::Then,
    Token::True,
    Token::Until,
    Token::While,
];

impl Token {
    /// The token as error messages name it (`luaX_token2str`): quoted for symbols and
    /// reserved words, bare for the `<eof>`/`<name>` classes.
    pub(crate) fn push_text(self, out: &mut Vec<u8>) -> Result<(), AllocError> {
        let word: &[u8] = match self {
            Token::Char(c) => {
                if (0x20..0x7f).contains(&c) {
                    return out.try_extend_from_slice(&[b'\'', c, b'\'']);
                }
                out.try_extend_from_slice(b"'<\\")?;
                push_int(out, c as i64)?;
                return out.try_extend_from_slice(b">'");
            }
            Token::Eof => return out.try_extend_from_slice(b"<eof>"),
            Token::Float => return out.try_extend_from_slice(b"<number>"),
            Token::Int => return out.try_extend_from_slice(b"<integer>"),
            Token::Name => return out.try_extend_from_slice(b"<name>"),
            Token::String => return out.try_extend_from_slice(b"<string>"),
            Token::IDiv => b"//",
            Token::Concat => b"..",
            Token::Dots => b"...",
            Token::Eq => b"==",
            Token::Ge => b">=",
            Token::Le => b"<=",
            Token::Ne => b"~=",
            Token::Shl => b"<<",
            Token::Shr => b">>",
            Token::DbColon => b"::",
            reserved => RESERVED_TOKENS
                .iter()
                .position(|t| *t == reserved)
                .and_then(|i| RESERVED.get(i).copied())
                .unwrap_or(b"?"),
        };
        out.try_push(b'\'')?;
        out.try_extend_from_slice(word)?;
        out.try_push(b'\'')
    }
}

/// Appends the decimal form of `n`.
pub(crate) fn push_int(out: &mut Vec<u8>, n: i64) -> Result<(), AllocError> {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut m = n.unsigned_abs();
    loop {
        if let Some(d) = digits.get_mut(len) {
            *d = b'0' + (m % 10) as u8;
        }
        len += 1;
        m /= 10;
        if m == 0 || len == digits.len() {
            break;
        }
    }
    if n < 0 {
        out.try_push(b'-')?;
    }
    for d in digits.iter().take(len).rev() {
        out.try_push(*d)?;
    }
    Ok(())
}

/// Semantic value of the current token.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SemInfo {
    None,
    Int(i64),
    Float(f64),
    Str(StrId),
}

/// End of input, as C Lua's `EOZ`.
const EOZ: i32 = -1;

fn is_alpha(c: i32) -> bool {
    c == b'_' as i32 || (c >= 0 && (c as u8).is_ascii_alphabetic())
}
fn is_alnum(c: i32) -> bool {
    is_alpha(c) || is_digit(c)
}
fn is_digit(c: i32) -> bool {
    c >= 0 && (c as u8).is_ascii_digit()
}
fn is_xdigit(c: i32) -> bool {
    c >= 0 && (c as u8).is_ascii_hexdigit()
}
fn is_space(c: i32) -> bool {
    c >= 0 && number::is_space(c as u8)
}
fn is_newline(c: i32) -> bool {
    c == b'\n' as i32 || c == b'\r' as i32
}

/// Longest a line count may get (`MAX_INT` in C Lua).
const MAX_LINE: u32 = i32::MAX as u32;

/// The lexer state (`LexState` minus the parser's parts).
pub(crate) struct Lexer<'s> {
    src: &'s [u8],
    /// Index of the byte after `current`.
    pos: usize,
    /// Current character, or `EOZ`.
    current: i32,
    /// Line of `current`.
    pub(crate) line: u32,
    /// Line of the last token consumed.
    pub(crate) lastline: u32,
    pub(crate) token: Token,
    pub(crate) sem: SemInfo,
    ahead: Option<(Token, SemInfo)>,
    buf: Vec<u8>,
    /// `chunkid` of the source name, for messages.
    pub(crate) chunkid: Vec<u8>,
    /// The message of the last `Error::Reported`.
    pub(crate) report: Vec<u8>,
}

impl<'s> Lexer<'s> {
    /// A lexer positioned before the first token (call [`Lexer::next`]).
    pub(crate) fn new(src: &'s [u8], chunkname: &[u8]) -> Result<Self, AllocError> {
        let mut lexer = Lexer {
            src,
            pos: 0,
            current: EOZ,
            line: 1,
            lastline: 1,
            token: Token::Eof,
            sem: SemInfo::None,
            ahead: None,
            buf: Vec::new(),
            chunkid: chunkid::chunk_id(chunkname)?,
            report: Vec::new(),
        };
        lexer.advance();
        Ok(lexer)
    }

    #[inline]
    fn advance(&mut self) {
        self.current = match self.src.get(self.pos) {
            Some(&c) => {
                self.pos += 1;
                c as i32
            }
            None => EOZ,
        };
    }

    #[inline]
    fn save(&mut self, c: i32) -> LexResult<()> {
        Ok(self.buf.try_push(c as u8)?)
    }

    #[inline]
    fn save_and_next(&mut self) -> LexResult<()> {
        self.save(self.current)?;
        self.advance();
        Ok(())
    }

    fn check_next1(&mut self, c: u8) -> bool {
        if self.current == c as i32 {
            self.advance();
            true
        } else {
            false
        }
    }

    /// Saves and skips `current` if it is one of the two bytes of `set`.
    fn check_next2(&mut self, set: &[u8; 2]) -> LexResult<bool> {
        if self.current == set[0] as i32 || self.current == set[1] as i32 {
            self.save_and_next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Records the message `chunkid:line: msg`, followed by ` near <token>` when
    /// `near` is given, and returns `Error::Reported` (`lexerror`).
    pub(crate) fn report(&mut self, msg: &[u8], near: Option<Token>) -> Error {
        match self.build_report(msg, near) {
            Ok(()) => Error::Reported,
            Err(e) => e,
        }
    }

    fn build_report(&mut self, msg: &[u8], near: Option<Token>) -> LexResult<()> {
        let mut out = tvec::try_with_capacity(self.chunkid.len() + msg.len() + 32)?;
        out.try_extend_from_slice(&self.chunkid)?;
        out.try_push(b':')?;
        push_int(&mut out, self.line as i64)?;
        out.try_extend_from_slice(b": ")?;
        out.try_extend_from_slice(msg)?;
        if let Some(token) = near {
            out.try_extend_from_slice(b" near ")?;
            match token {
                Token::Name | Token::String | Token::Float | Token::Int => {
                    out.try_push(b'\'')?;
                    out.try_extend_from_slice(&self.buf)?;
                    out.try_push(b'\'')?;
                }
                other => other.push_text(&mut out)?,
            }
        }
        self.report = out;
        Ok(())
    }

    fn error(&mut self, msg: &[u8], token: Token) -> Error {
        self.report(msg, Some(token))
    }

    /// A syntax error near the current token (`luaX_syntaxerror`).
    pub(crate) fn syntax_error(&mut self, msg: &[u8]) -> Error {
        self.report(msg, Some(self.token))
    }

    fn inc_line(&mut self) -> LexResult<()> {
        let old = self.current;
        self.advance();
        if is_newline(self.current) && self.current != old {
            self.advance();
        }
        self.line += 1;
        if self.line >= MAX_LINE {
            return Err(self.report(b"chunk has too many lines", None));
        }
        Ok(())
    }

    /// Reads the next token (`luaX_next`).
    pub(crate) fn next(&mut self, strings: &mut Strings) -> LexResult<()> {
        self.lastline = self.line;
        if let Some((token, sem)) = self.ahead.take() {
            self.token = token;
            self.sem = sem;
        } else {
            self.token = self.lex(strings)?;
        }
        Ok(())
    }

    /// Peeks at the token after the current one (`luaX_lookahead`).
    pub(crate) fn lookahead(&mut self, strings: &mut Strings) -> LexResult<Token> {
        let saved = self.sem;
        let token = self.lex(strings)?;
        self.ahead = Some((token, self.sem));
        self.sem = saved;
        Ok(token)
    }

    fn lex(&mut self, strings: &mut Strings) -> LexResult<Token> {
        self.buf.clear();
        loop {
            let c = self.current;
            if c == EOZ {
                return Ok(Token::Eof);
            }
            match c as u8 {
                b'\n' | b'\r' => self.inc_line()?,
                b' ' | 0x0c | b'\t' | 0x0b => self.advance(),
                b'-' => {
                    self.advance();
                    if self.current != b'-' as i32 {
                        return Ok(Token::Char(b'-'));
                    }
                    self.advance();
                    if self.current == b'[' as i32 {
                        let sep = self.skip_sep()?;
                        self.buf.clear();
                        if sep >= 2 {
                            self.read_long_string(None, sep)?;
                            self.buf.clear();
                            continue;
                        }
                    }
                    while !is_newline(self.current) && self.current != EOZ {
                        self.advance();
                    }
                }
                b'[' => {
                    let sep = self.skip_sep()?;
                    if sep >= 2 {
                        self.read_long_string(Some(strings), sep)?;
                        return Ok(Token::String);
                    } else if sep == 0 {
                        return Err(self.error(b"invalid long string delimiter", Token::String));
                    }
                    return Ok(Token::Char(b'['));
                }
                b'=' => {
                    self.advance();
                    return Ok(if self.check_next1(b'=') {
                        Token::Eq
                    } else {
                        Token::Char(b'=')
                    });
                }
                b'<' => {
                    self.advance();
                    return Ok(if self.check_next1(b'=') {
                        Token::Le
                    } else if self.check_next1(b'<') {
                        Token::Shl
                    } else {
                        Token::Char(b'<')
                    });
                }
                b'>' => {
                    self.advance();
                    return Ok(if self.check_next1(b'=') {
                        Token::Ge
                    } else if self.check_next1(b'>') {
                        Token::Shr
                    } else {
                        Token::Char(b'>')
                    });
                }
                b'/' => {
                    self.advance();
                    return Ok(if self.check_next1(b'/') {
                        Token::IDiv
                    } else {
                        Token::Char(b'/')
                    });
                }
                b'~' => {
                    self.advance();
                    return Ok(if self.check_next1(b'=') {
                        Token::Ne
                    } else {
                        Token::Char(b'~')
                    });
                }
                b':' => {
                    self.advance();
                    return Ok(if self.check_next1(b':') {
                        Token::DbColon
                    } else {
                        Token::Char(b':')
                    });
                }
                b'"' | b'\'' => {
                    self.read_string(c, strings)?;
                    return Ok(Token::String);
                }
                b'.' => {
                    self.save_and_next()?;
                    if self.check_next1(b'.') {
                        return Ok(if self.check_next1(b'.') {
                            Token::Dots
                        } else {
                            Token::Concat
                        });
                    } else if !is_digit(self.current) {
                        return Ok(Token::Char(b'.'));
                    }
                    return self.read_numeral();
                }
                b'0'..=b'9' => return self.read_numeral(),
                _ => {
                    if is_alpha(c) {
                        while is_alnum(self.current) {
                            self.save_and_next()?;
                        }
                        if let Some(i) = RESERVED.iter().position(|w| *w == self.buf.as_slice()) {
                            // `global` stays a name: the parser decides (LUA_COMPAT_GLOBAL).
                            if let Some(&t) =
                                RESERVED_TOKENS.get(i).filter(|&&t| t != Token::Global)
                            {
                                return Ok(t);
                            }
                        }
                        self.sem = SemInfo::Str(strings.intern(&self.buf)?);
                        return Ok(Token::Name);
                    }
                    self.advance();
                    return Ok(Token::Char(c as u8));
                }
            }
        }
    }

    /// Reads `[=*[` or `]=*]`: returns the count of `=` plus 2 when well formed, 1 for a
    /// lone bracket, 0 for `[=` not followed by a second bracket.
    fn skip_sep(&mut self) -> LexResult<usize> {
        let s = self.current;
        let mut count = 0;
        self.save_and_next()?;
        while self.current == b'=' as i32 {
            self.save_and_next()?;
            count += 1;
        }
        Ok(if self.current == s {
            count + 2
        } else if count == 0 {
            1
        } else {
            0
        })
    }

    /// Reads a long string (with `strings`) or skips a long comment (without).
    fn read_long_string(&mut self, strings: Option<&mut Strings>, sep: usize) -> LexResult<()> {
        let line = self.line;
        let keep = strings.is_some();
        self.save_and_next()?;
        if is_newline(self.current) {
            self.inc_line()?;
        }
        loop {
            match self.current {
                EOZ => {
                    let mut msg = Vec::new();
                    msg.try_extend_from_slice(b"unfinished long ")?;
                    msg.try_extend_from_slice(if keep { b"string" } else { b"comment" })?;
                    msg.try_extend_from_slice(b" (starting at line ")?;
                    push_int(&mut msg, line as i64)?;
                    msg.try_push(b')')?;
                    return Err(self.error(&msg, Token::Eof));
                }
                c if c == b']' as i32 => {
                    if self.skip_sep()? == sep {
                        self.save_and_next()?;
                        break;
                    }
                }
                c if is_newline(c) => {
                    self.save(b'\n' as i32)?;
                    self.inc_line()?;
                    if !keep {
                        self.buf.clear();
                    }
                }
                _ => {
                    if keep {
                        self.save_and_next()?;
                    } else {
                        self.advance();
                    }
                }
            }
        }
        if let Some(strings) = strings {
            let text = self.buf.get(sep..self.buf.len() - sep).unwrap_or(&[]);
            self.sem = SemInfo::Str(strings.intern(text)?);
        }
        Ok(())
    }

    /// Fails with `msg` unless `ok`, quoting the escape read so far plus the current
    /// character.
    fn esc_check(&mut self, ok: bool, msg: &[u8]) -> LexResult<()> {
        if ok {
            return Ok(());
        }
        if self.current != EOZ {
            self.save_and_next()?;
        }
        Err(self.error(msg, Token::String))
    }

    fn get_hex(&mut self) -> LexResult<u32> {
        self.save_and_next()?;
        let ok = is_xdigit(self.current);
        self.esc_check(ok, b"hexadecimal digit expected")?;
        Ok(number::hex_value(self.current as u8).unwrap_or(0))
    }

    fn read_hex_esc(&mut self) -> LexResult<i32> {
        let r = self.get_hex()?;
        let r = (r << 4) + self.get_hex()?;
        self.buf.truncate(self.buf.len().saturating_sub(2));
        Ok(r as i32)
    }

    fn read_utf8_esc(&mut self) -> LexResult<u32> {
        let mut removed = 4; // '\', 'u', '{' and the first digit
        self.save_and_next()?;
        let ok = self.current == b'{' as i32;
        self.esc_check(ok, b"missing '{' in \\u{xxxx}")?;
        let mut r = self.get_hex()?;
        loop {
            self.save_and_next()?;
            if !is_xdigit(self.current) {
                break;
            }
            removed += 1;
            self.esc_check(r <= (0x7FFF_FFFF >> 4), b"UTF-8 value too large")?;
            r = (r << 4) + number::hex_value(self.current as u8).unwrap_or(0);
        }
        let ok = self.current == b'}' as i32;
        self.esc_check(ok, b"missing '}' in \\u{xxxx}")?;
        self.advance();
        self.buf.truncate(self.buf.len().saturating_sub(removed));
        Ok(r)
    }

    /// Appends the UTF-8 form of `x` (up to 6 bytes, as `luaO_utf8esc`).
    fn save_utf8(&mut self, mut x: u32) -> LexResult<()> {
        let mut bytes = [0u8; 8];
        let mut n = 1;
        if x < 0x80 {
            bytes[7] = x as u8;
        } else {
            let mut mfb = 0x3fu32;
            loop {
                if let Some(b) = bytes.get_mut(8 - n) {
                    *b = 0x80 | (x & 0x3f) as u8;
                }
                n += 1;
                x >>= 6;
                mfb >>= 1;
                if x <= mfb {
                    break;
                }
            }
            if let Some(b) = bytes.get_mut(8 - n) {
                *b = ((!mfb << 1) | x) as u8;
            }
        }
        self.buf
            .try_extend_from_slice(bytes.get(8 - n..).unwrap_or(&[]))?;
        Ok(())
    }

    fn read_dec_esc(&mut self) -> LexResult<i32> {
        let mut r = 0i32;
        let mut i = 0;
        while i < 3 && is_digit(self.current) {
            r = 10 * r + self.current - b'0' as i32;
            self.save_and_next()?;
            i += 1;
        }
        self.esc_check(r <= 255, b"decimal escape too large")?;
        self.buf.truncate(self.buf.len().saturating_sub(i));
        Ok(r)
    }

    fn read_string(&mut self, del: i32, strings: &mut Strings) -> LexResult<()> {
        self.save_and_next()?;
        while self.current != del {
            match self.current {
                EOZ => return Err(self.error(b"unfinished string", Token::Eof)),
                c if is_newline(c) => return Err(self.error(b"unfinished string", Token::String)),
                c if c == b'\\' as i32 => {
                    self.save_and_next()?;
                    // (value, whether to skip the current char before saving)
                    let (c, skip) = match self.current {
                        EOZ => continue, // the loop reports the unfinished string
                        c => match c as u8 {
                            b'a' => (0x07, true),
                            b'b' => (0x08, true),
                            b'f' => (0x0c, true),
                            b'n' => (b'\n' as i32, true),
                            b'r' => (b'\r' as i32, true),
                            b't' => (b'\t' as i32, true),
                            b'v' => (0x0b, true),
                            b'x' => (self.read_hex_esc()?, true),
                            b'u' => {
                                // `read_utf8_esc` also drops the '\\'.
                                let r = self.read_utf8_esc()?;
                                self.save_utf8(r)?;
                                continue;
                            }
                            b'\n' | b'\r' => {
                                self.inc_line()?;
                                (b'\n' as i32, false)
                            }
                            b'\\' | b'"' | b'\'' => (c, true),
                            b'z' => {
                                self.buf.pop();
                                self.advance();
                                while is_space(self.current) {
                                    if is_newline(self.current) {
                                        self.inc_line()?;
                                    } else {
                                        self.advance();
                                    }
                                }
                                continue;
                            }
                            _ => {
                                let ok = is_digit(self.current);
                                self.esc_check(ok, b"invalid escape sequence")?;
                                (self.read_dec_esc()?, false)
                            }
                        },
                    };
                    if skip {
                        self.advance();
                    }
                    self.buf.pop(); // the '\\'
                    self.save(c)?;
                }
                _ => self.save_and_next()?,
            }
        }
        self.save_and_next()?;
        let text = self.buf.get(1..self.buf.len() - 1).unwrap_or(&[]);
        self.sem = SemInfo::Str(strings.intern(text)?);
        Ok(())
    }

    fn read_numeral(&mut self) -> LexResult<Token> {
        let first = self.current;
        self.save_and_next()?;
        let mut expo = b"Ee";
        if first == b'0' as i32 && self.check_next2(b"xX")? {
            expo = b"Pp";
        }
        loop {
            if self.check_next2(expo)? {
                self.check_next2(b"-+")?;
            } else if is_xdigit(self.current) || self.current == b'.' as i32 {
                self.save_and_next()?;
            } else {
                break;
            }
        }
        if is_alpha(self.current) {
            self.save_and_next()?;
        }
        match number::str_to_number(&self.buf) {
            Some(Number::Int(i)) if !self.buf.iter().any(|&c| number::is_space(c)) => {
                self.sem = SemInfo::Int(i);
                Ok(Token::Int)
            }
            Some(Number::Float(f)) if !self.buf.iter().any(|&c| number::is_space(c)) => {
                self.sem = SemInfo::Float(f);
                Ok(Token::Float)
            }
            _ => Err(self.error(b"malformed number", Token::Float)),
        }
    }
}
