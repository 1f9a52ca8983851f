//! Lua patterns (§6.4.1): the matcher behind `find`, `match`, `gmatch` and `gsub`.
//!
//! PUC Lua matches by recursion, one C frame per pattern item that may backtrack. Here
//! the matcher is a loop over `(s, p)` (subject and pattern positions) with an explicit
//! backtracking stack on the heap, so no pattern can use more native stack than one
//! call. Every entry of that stack is either a choice point (`?`, `*`, `+`, `-`: where to
//! resume when the rest of the pattern fails) or an undo record (a capture opened or
//! closed: how to restore the capture list when backtracking past it).
//!
//! Invariant: the stack holds exactly the entries whose PUC counterparts would be live
//! `match` frames, so its length plus one is PUC's match depth; PUC's limit of 200
//! (`MAXCCALLS`) gives the same "pattern too complex" error at the same patterns.
//! Matching is charged to the instruction budget, since backtracking can take time
//! exponential in the pattern length.

use alloc::vec::Vec;

use crate::error::LuaResult;
use crate::state::Lua;
use crate::tvec::TryVec;

/// Most captures a pattern may have (`LUA_MAXCAPTURES`).
pub(crate) const MAX_CAPTURES: usize = 32;
/// Nested match levels PUC allows (`MAXCCALLS`), counting the outermost.
const MAX_DEPTH: usize = 200;
/// Matcher steps per unit of fuel.
const STEPS_PER_FUEL: u32 = 32;
/// The escape byte.
const ESC: u8 = b'%';
/// Bytes that make a pattern more than a plain substring.
const SPECIALS: &[u8] = b"^$*+?.([%-";

/// How far a capture got.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CapLen {
    /// Opened, not closed yet.
    Unfinished,
    /// A position capture `()`.
    Position,
    /// A closed capture of this many bytes.
    Len(usize),
}

/// One capture: where it starts in the subject, and how long it is.
#[derive(Clone, Copy)]
pub(crate) struct Capture {
    pub init: usize,
    pub len: CapLen,
}

/// What a capture yields to Lua.
pub(crate) enum CapValue<'s> {
    Bytes(&'s [u8]),
    Position(i64),
}

/// A backtracking record.
#[derive(Clone, Copy)]
enum Entry {
    /// `x?` took `x`; on failure resume at subject `s`, pattern `p`, without it.
    Optional { s: usize, p: usize },
    /// Greedy repetition at `s` of the item `p..ep`, with `i` repetitions still to try
    /// (each one fewer than the last attempt).
    Greedy { s: usize, i: usize, ep: usize },
    /// Lazy repetition of the item at `p..ep`, last tried with the rest at `s`.
    Lazy { s: usize, p: usize, ep: usize },
    /// A capture was opened: undo by dropping it.
    Opened,
    /// Capture `l` was closed: undo by reopening it.
    Closed { l: usize },
}

/// The matcher state for one subject and one pattern (`MatchState`).
pub(crate) struct Matcher<'a> {
    pub src: &'a [u8],
    pat: &'a [u8],
    /// Captures opened so far (finished or not).
    pub level: usize,
    pub capture: [Capture; MAX_CAPTURES],
    stack: Vec<Entry>,
    steps: u32,
}

/// True when `p` has none of the pattern specials, so it can be searched for plainly.
pub(crate) fn no_specials(p: &[u8]) -> bool {
    !p.iter().any(|b| SPECIALS.contains(b))
}

/// First occurrence of `needle` in `hay` (`lmemfind`).
pub(crate) fn find_plain(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let (&first, rest) = needle.split_first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    let mut at = 0;
    while at <= last_start {
        let window = hay.get(at..=last_start)?;
        let off = window.iter().position(|&b| b == first)?;
        let start = at + off;
        if hay.get(start + 1..start + needle.len()) == Some(rest) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// Does byte `c` belong to class letter `cl` (`%a`, `%A`, ...)? A letter Lua does not
/// know as a class stands for itself, as does any other byte.
fn match_class(c: u8, cl: u8) -> bool {
    let res = match cl.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c < 0x20 || c == 0x7f,
        b'd' => c.is_ascii_digit(),
        b'g' => c.is_ascii_graphic(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        // C's `isspace` includes the vertical tab, which `is_ascii_whitespace` does not.
        b's' => c == b' ' || (0x09..=0x0d).contains(&c),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        // Deprecated since 5.2 but still accepted by PUC: the zero byte.
        b'z' => c == 0,
        _ => return cl == c,
    };
    if cl.is_ascii_uppercase() {
        !res
    } else {
        res
    }
}

impl<'a> Matcher<'a> {
    pub(crate) fn new(src: &'a [u8], pat: &'a [u8]) -> Self {
        Matcher {
            src,
            pat,
            level: 0,
            capture: [Capture {
                init: 0,
                len: CapLen::Unfinished,
            }; MAX_CAPTURES],
            stack: Vec::new(),
            steps: 0,
        }
    }

    #[inline]
    fn pat_at(&self, p: usize) -> Option<u8> {
        self.pat.get(p).copied()
    }

    /// Is `set` (the class `[...]` at `p..=ec`, `ec` on the closing `]`) matching `c`?
    fn match_bracket(&self, c: u8, mut p: usize, ec: usize) -> bool {
        let mut sig = true;
        if self.pat_at(p + 1) == Some(b'^') {
            sig = false;
            p += 1;
        }
        loop {
            p += 1;
            if p >= ec {
                return !sig;
            }
            let Some(b) = self.pat_at(p) else { return !sig };
            if b == ESC {
                p += 1;
                if self.pat_at(p).is_some_and(|cl| match_class(c, cl)) {
                    return sig;
                }
            } else if self.pat_at(p + 1) == Some(b'-') && p + 2 < ec {
                p += 2;
                if let Some(hi) = self.pat_at(p) {
                    if b <= c && c <= hi {
                        return sig;
                    }
                }
            } else if b == c {
                return sig;
            }
        }
    }

    /// Does the subject byte at `s` match the single item `p..ep`?
    fn single(&self, s: usize, p: usize, ep: usize) -> bool {
        let Some(c) = self.src.get(s).copied() else {
            return false;
        };
        match self.pat_at(p) {
            Some(b'.') => true,
            Some(ESC) => self.pat_at(p + 1).is_some_and(|cl| match_class(c, cl)),
            Some(b'[') => self.match_bracket(c, p, ep - 1),
            Some(b) => b == c,
            None => false,
        }
    }

    /// End of the single item starting at `p` (`classEnd`).
    fn class_end(&self, lua: &mut Lua, p: usize) -> LuaResult<usize> {
        let mut p = p;
        let c = self.pat_at(p);
        p += 1;
        match c {
            Some(ESC) => {
                if p >= self.pat.len() {
                    return Err(
                        lua.error_at_level(1, format_args!("malformed pattern (ends with '%')"))
                    );
                }
                Ok(p + 1)
            }
            Some(b'[') => {
                if self.pat_at(p) == Some(b'^') {
                    p += 1;
                }
                // The first byte after `[` (or `[^`) is never the closing `]`.
                loop {
                    if p >= self.pat.len() {
                        return Err(
                            lua.error_at_level(1, format_args!("malformed pattern (missing ']')"))
                        );
                    }
                    let b = self.pat_at(p);
                    p += 1;
                    if b == Some(ESC) && p < self.pat.len() {
                        p += 1;
                    }
                    if self.pat_at(p) == Some(b']') {
                        return Ok(p + 1);
                    }
                }
            }
            _ => Ok(p),
        }
    }

    fn push(&mut self, lua: &mut Lua, e: Entry) -> LuaResult<()> {
        if self.stack.len() + 1 >= MAX_DEPTH {
            return Err(lua.error_at_level(1, format_args!("pattern too complex")));
        }
        self.stack.try_push(e)?;
        Ok(())
    }

    /// Index of the innermost open capture (`capture_to_close`).
    fn capture_to_close(&self, lua: &mut Lua) -> LuaResult<usize> {
        let open = self
            .capture
            .get(..self.level)
            .and_then(|c| c.iter().rposition(|c| c.len == CapLen::Unfinished));
        match open {
            Some(l) => Ok(l),
            None => Err(lua.error_at_level(1, format_args!("invalid pattern capture"))),
        }
    }

    /// A back-reference `%1`..`%9` (`check_capture`): the capture index.
    fn check_capture(&self, lua: &mut Lua, digit: u8) -> LuaResult<usize> {
        let l = i32::from(digit) - i32::from(b'1');
        let ok = usize::try_from(l).ok().filter(|&l| {
            l < self.level
                && self
                    .capture
                    .get(l)
                    .is_some_and(|c| c.len != CapLen::Unfinished)
        });
        match ok {
            Some(l) => Ok(l),
            None => Err(lua.error_at_level(1, format_args!("invalid capture index %{}", l + 1))),
        }
    }

    /// Counts a step and charges the instruction budget now and then.
    #[inline]
    fn tick(&mut self, lua: &mut Lua) -> LuaResult<()> {
        self.steps += 1;
        if self.steps >= STEPS_PER_FUEL {
            self.steps = 0;
            lua.charge_fuel(1)?;
        }
        Ok(())
    }

    /// Matches the pattern from `p` against the subject from `s`; the end of the match,
    /// or `None`. Captures are reset first.
    ///
    /// # Errors
    /// Malformed patterns, "pattern too complex", memory and fuel errors.
    pub(crate) fn do_match(
        &mut self,
        lua: &mut Lua,
        s: usize,
        p: usize,
    ) -> LuaResult<Option<usize>> {
        self.level = 0;
        self.stack.clear();
        let (mut s, mut p) = (s, p);
        'run: loop {
            self.tick(lua)?;
            let ok = 'item: {
                let Some(pc) = self.pat_at(p) else {
                    return Ok(Some(s));
                };
                match pc {
                    b'(' => {
                        let (len, next) = if self.pat_at(p + 1) == Some(b')') {
                            (CapLen::Position, p + 2)
                        } else {
                            (CapLen::Unfinished, p + 1)
                        };
                        let Some(slot) = self.capture.get_mut(self.level) else {
                            return Err(lua.error_at_level(1, format_args!("too many captures")));
                        };
                        *slot = Capture { init: s, len };
                        self.level += 1;
                        self.push(lua, Entry::Opened)?;
                        p = next;
                        continue 'run;
                    }
                    b')' => {
                        let l = self.capture_to_close(lua)?;
                        if let Some(c) = self.capture.get_mut(l) {
                            c.len = CapLen::Len(s - c.init);
                        }
                        self.push(lua, Entry::Closed { l })?;
                        p += 1;
                        continue 'run;
                    }
                    b'$' if p + 1 == self.pat.len() => break 'item s == self.src.len(),
                    ESC => match self.pat_at(p + 1) {
                        Some(b'b') => match self.match_balance(lua, s, p + 2)? {
                            Some(e) => {
                                s = e;
                                p += 4;
                                continue 'run;
                            }
                            None => break 'item false,
                        },
                        Some(b'f') => {
                            p += 2;
                            if self.pat_at(p) != Some(b'[') {
                                return Err(lua.error_at_level(
                                    1,
                                    format_args!("missing '[' after '%f' in pattern"),
                                ));
                            }
                            let ep = self.class_end(lua, p)?;
                            let prev = if s == 0 {
                                0
                            } else {
                                self.src.get(s - 1).copied().unwrap_or(0)
                            };
                            let cur = self.src.get(s).copied().unwrap_or(0);
                            if !self.match_bracket(prev, p, ep - 1)
                                && self.match_bracket(cur, p, ep - 1)
                            {
                                p = ep;
                                continue 'run;
                            }
                            break 'item false;
                        }
                        Some(d) if d.is_ascii_digit() => {
                            let l = self.check_capture(lua, d)?;
                            let Some(c) = self.capture.get(l) else {
                                break 'item false;
                            };
                            let len = match c.len {
                                CapLen::Len(n) => n,
                                _ => 0,
                            };
                            let (init, rest) = (c.init, self.src.get(s..).unwrap_or(&[]));
                            let whole = self.src.get(init..init + len);
                            if rest.len() >= len && whole.is_some_and(|w| rest.starts_with(w)) {
                                s += len;
                                p += 2;
                                continue 'run;
                            }
                            break 'item false;
                        }
                        _ => {}
                    },
                    _ => {}
                }
                // A single item, possibly followed by a repetition suffix.
                let ep = self.class_end(lua, p)?;
                let suffix = self.pat_at(ep);
                if !self.single(s, p, ep) {
                    if matches!(suffix, Some(b'*' | b'?' | b'-')) {
                        p = ep + 1;
                        continue 'run;
                    }
                    break 'item false;
                }
                match suffix {
                    Some(b'?') => {
                        self.push(lua, Entry::Optional { s, p: ep + 1 })?;
                        s += 1;
                        p = ep + 1;
                    }
                    Some(b'+' | b'*') => {
                        let from = if suffix == Some(b'+') { s + 1 } else { s };
                        let mut i = 0;
                        while self.single(from + i, p, ep) {
                            i += 1;
                            self.tick(lua)?;
                        }
                        self.push(lua, Entry::Greedy { s: from, i, ep })?;
                        s = from + i;
                        p = ep + 1;
                    }
                    Some(b'-') => {
                        self.push(lua, Entry::Lazy { s, p, ep })?;
                        p = ep + 1;
                    }
                    _ => {
                        s += 1;
                        p = ep;
                    }
                }
                continue 'run;
            };
            if ok {
                // `$` at the end of the pattern matched the end of the subject.
                return Ok(Some(s));
            }
            // Backtrack to the latest choice point, undoing captures on the way.
            loop {
                let Some(e) = self.stack.pop() else {
                    return Ok(None);
                };
                match e {
                    Entry::Opened => self.level = self.level.saturating_sub(1),
                    Entry::Closed { l } => {
                        if let Some(c) = self.capture.get_mut(l) {
                            c.len = CapLen::Unfinished;
                        }
                    }
                    Entry::Optional { s: s2, p: p2 } => {
                        s = s2;
                        p = p2;
                        continue 'run;
                    }
                    Entry::Greedy { s: s2, i, ep } => {
                        if i == 0 {
                            continue;
                        }
                        self.stack.try_push(Entry::Greedy {
                            s: s2,
                            i: i - 1,
                            ep,
                        })?;
                        s = s2 + i - 1;
                        p = ep + 1;
                        continue 'run;
                    }
                    Entry::Lazy { s: s2, p: p2, ep } => {
                        if !self.single(s2, p2, ep) {
                            continue;
                        }
                        self.stack.try_push(Entry::Lazy {
                            s: s2 + 1,
                            p: p2,
                            ep,
                        })?;
                        s = s2 + 1;
                        p = ep + 1;
                        continue 'run;
                    }
                }
            }
        }
    }

    /// `%bxy` at subject `s`, with `x` at pattern `p`: the end of the balanced run.
    fn match_balance(&mut self, lua: &mut Lua, s: usize, p: usize) -> LuaResult<Option<usize>> {
        let (Some(open), Some(close)) = (self.pat_at(p), self.pat_at(p + 1)) else {
            return Err(lua.error_at_level(
                1,
                format_args!("malformed pattern (missing arguments to '%b')"),
            ));
        };
        if self.src.get(s) != Some(&open) {
            return Ok(None);
        }
        let mut depth = 1usize;
        for (i, &c) in self.src.iter().enumerate().skip(s + 1) {
            if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            } else if c == open {
                depth += 1;
            }
        }
        Ok(None)
    }

    /// Capture `i` of a match `s..e` (`get_onecapture`); with no captures, index 0 is
    /// the whole match.
    ///
    /// # Errors
    /// "invalid capture index" and "unfinished capture".
    pub(crate) fn get_capture(
        &self,
        lua: &mut Lua,
        i: usize,
        s: usize,
        e: usize,
    ) -> LuaResult<CapValue<'a>> {
        if i >= self.level {
            if i != 0 {
                return Err(lua.error_at_level(1, format_args!("invalid capture index %{}", i + 1)));
            }
            return Ok(CapValue::Bytes(self.src.get(s..e).unwrap_or(&[])));
        }
        let Some(c) = self.capture.get(i) else {
            return Ok(CapValue::Bytes(&[]));
        };
        match c.len {
            CapLen::Unfinished => Err(lua.error_at_level(1, format_args!("unfinished capture"))),
            CapLen::Position => Ok(CapValue::Position(c.init as i64 + 1)),
            CapLen::Len(n) => Ok(CapValue::Bytes(
                self.src.get(c.init..c.init + n).unwrap_or(&[]),
            )),
        }
    }

    /// Number of values a match yields: its captures, or the whole match when there are
    /// none and `whole` is set.
    pub(crate) fn capture_count(&self, whole: bool) -> usize {
        if self.level == 0 && whole {
            1
        } else {
            self.level
        }
    }
}
