// Restoring a plain-SQL dump means piping it into psql, and psql does more than send SQL: a
// backslash outside quoted text starts one of its own commands, and some of those run programs
// (\!), write files (\o, \w) or read them (\i, \copy). The server, for its part, runs
// COPY … PROGRAM and reads or writes its files with COPY … FROM/TO '<file>'. This filter reads
// every line the way psql's lexer does (src/fe_utils/psqlscan.l), refuses a script that would do
// any of that, and neutralises the statements of pg_dump that our restore cannot use.
//
// Its output has exactly the input's lines, so psql's "line N" errors point into the user's file.
// Where psql versions (14 to 18) or a server setting the script itself can change would read some
// text differently, the script is refused: a guess here is a way around the check.
//
// It relies on psql being run with -X (no psqlrc, no variables of the user) and ON_ERROR_STOP=1,
// and on the caller killing psql, not closing its stdin, when ScriptRefused is thrown: at the end
// of its input psql sends the statement it holds and commits.

export interface PlainScriptOptions {
  /** Replace `ALTER ... OWNER TO ...;` statements (and `SET SESSION AUTHORIZATION`/`SET ROLE`) with comments (like pg_restore --no-owner). */
  dropOwnership?: boolean;
  /** Replace GRANT/REVOKE statements (and ALTER DEFAULT PRIVILEGES) with comments (like pg_restore --no-privileges). */
  dropPrivileges?: boolean;
  /** Lower-case names of settings whose top-level `SET name = …;` statements and `SELECT pg_catalog.set_config('name', …);` statements are replaced with comments (e.g. transaction_timeout that an older server does not know). */
  skipSettings?: ReadonlySet<string>;
  /** Keep `\restrict <key>` / `\unrestrict <key>` lines in the output (psql ≥ 15.14 understands them); otherwise they become comments. Default true. */
  keepRestrict?: boolean;
}

/** Why a statement or a line was replaced by a comment. */
export type SkipReason = 'ownership' | 'privileges' | 'setting' | 'connect' | 'database' | 'restrict' | 'transaction';

/** The script would make psql or the server do something a restore must not: nothing of this line or after it is returned. */
export class ScriptRefused extends Error {
  constructor(
    /** 1-based line of the offending text (of the statement's start, for a statement). */
    readonly line: number,
    /** What was refused: the psql command (`\!`) or the kind of statement (`COPY PROGRAM`). */
    readonly command: string,
    /** The offending text, trimmed to 200 characters. */
    readonly text: string,
    why: string,
  ) {
    super(`Line ${line}: ${why}`);
    this.name = 'ScriptRefused';
  }
}

export interface ScriptSummary {
  /** Tables created (CREATE TABLE / CREATE UNLOGGED TABLE), as `schema.name` exactly as written by pg_dump but unquoted, in order. */
  tables: string[];
  /** Rows per table counted from COPY … FROM stdin data blocks, keyed like `tables`. */
  rowCounts: Record<string, number>;
  /** Schemas that objects are created in (the schema part of qualified CREATE statements) plus those created with CREATE SCHEMA. */
  schemas: string[];
  /** Lower-case names of settings the file sets: `SET name = …` / `SET name TO …` and `pg_catalog.set_config('name', …)`. */
  settings: string[];
  /** Roles the file names: OWNER TO, GRANT … TO, REVOKE … FROM, SET SESSION AUTHORIZATION, SET ROLE (unquoted; excluding PUBLIC). */
  roles: string[];
  /** The version number from the header comment `-- Dumped from database version 15.4 (Debian …)`: '15.4'. */
  sourceServerVersion: string | null;
  /** The version number from `-- Dumped by pg_dump version 17.2`. */
  toolVersion: string | null;
  /** True once the trailer line `-- PostgreSQL database dump complete` was seen. */
  complete: boolean;
  /** Lines seen so far. */
  lines: number;
  /** Statements and lines that were replaced by comments, for the pre-flight. At most 200 kept. */
  skipped: Array<{ line: number; reason: SkipReason; text: string }>;
}

const TEXT_LIMIT = 200;
const SKIPPED_LIMIT = 200;
/** A string or identifier is kept only this far: the summary needs names and short values, never function bodies. */
const VALUE_LIMIT = 256;
/**
 * A statement waits, unsent, until it is known to be kept; only short kinds wait (ALTER, GRANT, SET,
 * COPY …), so a longer one is no dump of ours and is refused rather than held in memory.
 */
const HELD_LIMIT = 8 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Characters, as psql's lexer classes them. psql reads bytes: every byte of a non-ASCII character
// is a letter to it, and so is every UTF-16 unit of one here.

const TAB = 9;
const FORM_FEED = 12;
const CR = 13;
const LF = 10;
const SPACE = 32;
const DQUOTE = 34;
const DOLLAR = 36;
const AMPERSAND = 38;
const QUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const SEMICOLON = 59;
const EQUALS = 61;
const QUESTION = 63;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
/** Also psql's `variable_char` and `dolq_cont`: an identifier's characters but `$`. */
const isVariableChar = (c: number) => isIdentStart(c) || isDigit(c);
const isIdentCont = (c: number) => isVariableChar(c) || c === DOLLAR;
/** psql's `space`: no \v. */
const isSpace = (c: number) => c === SPACE || c === TAB || c === LF || c === CR || c === FORM_FEED;
const isNewline = (c: number) => c === LF || c === CR;

/** psql compares keywords with pg_strcasecmp, which folds ASCII only (JavaScript's toLowerCase folds 'K', the Kelvin sign, to 'k'). */
const asciiLower = (text: string) => text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());

function isBlank(text: string, from = 0, to = text.length): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** A `--` comment ends at a newline; psql strips the \n of each line but a \r stays and ends it too. */
function lineCommentEnd(line: string, from: number): number {
  const cr = line.indexOf('\r', from + 2);
  return cr < 0 ? line.length : cr;
}

const clip = (text: string) => (text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) : text);

// ---------------------------------------------------------------------------------------------
// The lexer: psqlscan.l's rules for finding where statements end and where a backslash is a command.

type TokenType = 'word' | 'quoted' | 'string' | 'number' | 'symbol' | 'variable';

interface Token {
  type: TokenType;
  /** Words ASCII-lower-cased; quoted identifiers and strings as their value; symbols as written. */
  text: string;
  /** As written, for names the summary keeps as the file spells them. */
  raw: string;
  /** Parenthesis depth within the statement. */
  depth: number;
}

type LexState = 'initial' | 'comment' | 'string' | 'afterString' | 'quotedIdent' | 'dollar';
/** 'plain' is '…', which psql reads as 'standard' or 'escape' by the server's standard_conforming_strings. */
type StringFlavor = 'plain' | 'standard' | 'escape' | 'unicode' | 'bits';

interface LexerSink {
  /** A token starts at this column (the statement's start when none is under way). */
  tokenStart(column: number): void;
  token(token: Token): void;
  /** A semicolon that ends the statement: psql sends it here. `column` is just past it. */
  statementEnd(column: number): void;
  /** A semicolon psql keeps in the statement (in parentheses, or in what it takes for a BEGIN ATOMIC body). */
  innerSemicolon(): void;
  /** A backslash outside quotes and comments: a psql command. Throws, or deals with the whole line. */
  backslash(column: number, atLineStart: boolean): void;
  refuse(command: string, why: string): never;
}

/** Where a string ends on this line (just past its closing quote), or -1 when it goes on. */
function stringEnd(line: string, from: number, flavor: Exclude<StringFlavor, 'plain'>): number {
  let at = from;
  for (;;) {
    const quote = line.indexOf("'", at);
    if (flavor === 'escape') {
      const backslash = line.indexOf('\\', at);
      // A backslash takes the next character, quote or not. At the end of the line there is none:
      // psql never sees the \n, so it takes nothing, and the string goes on.
      if (backslash >= 0 && (quote < 0 || backslash < quote)) {
        at = backslash + 2;
        continue;
      }
    }
    if (quote < 0) return -1;
    // '' is a quote inside the string, except in B'…' and X'…': there the first ' ends it.
    if (flavor !== 'bits' && line.charCodeAt(quote + 1) === QUOTE) {
      at = quote + 2;
      continue;
    }
    return quote + 1;
  }
}

/**
 * 'a' <newline> 'b' is one string to SQL. psql's lexer sees no \n (each line is lexed without it),
 * so only a \r on the same line can join them. Returns where the string resumes, or -1.
 */
function quoteContinuation(line: string, from: number): number {
  let at = from;
  for (;;) {
    const c = line.charCodeAt(at);
    if (c === SPACE || c === TAB || c === FORM_FEED) at++;
    else if (c === DASH && line.charCodeAt(at + 1) === DASH) at = lineCommentEnd(line, at);
    else break;
  }
  if (!isNewline(line.charCodeAt(at))) return -1;
  at++;
  for (;;) {
    const c = line.charCodeAt(at);
    if (isSpace(c)) at++;
    else if (c === DASH && line.charCodeAt(at + 1) === DASH) {
      at = lineCommentEnd(line, at);
      if (!isNewline(line.charCodeAt(at))) return -1;
      at++;
    } else break;
  }
  return line.charCodeAt(at) === QUOTE ? at + 1 : -1;
}

function decodeString(raw: string, flavor: StringFlavor): string {
  if (flavor === 'bits') return raw;
  const undoubled = raw.replace(/''/g, "'");
  return flavor === 'escape' ? undoubled.replace(/\\(.)/g, '$1') : undoubled;
}

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

/** psql's own variables: their values are read again as SQL, and come from outside the file. */
const PSQL_VARIABLE = /^[A-Z][A-Z0-9_]*$/;

class PsqlLexer {
  state: LexState = 'initial';
  /** The server's standard_conforming_strings as the script has set it: how '…' strings are decoded. */
  standardStrings = true;
  private flavor: StringFlavor = 'plain';
  private commentDepth = 0;
  private dollarTag = '';
  private parenDepth = 0;
  // psql ≥ 14 keeps the semicolons of CREATE FUNCTION … BEGIN ATOMIC … END in the statement, by this
  // heuristic on the first identifiers; it decides where psql sends a statement, so it is copied as is.
  private beginDepth = 0;
  private identifierCount = 0;
  private identifiers = ['', '', '', ''];
  /** The string or quoted identifier being read: its first VALUE_LIMIT characters, for the summary. */
  private literal = '';
  private literalType: 'string' | 'quoted' = 'string';
  private literalFlavor: StringFlavor = 'standard';
  private literalDepth = 0;

  constructor(private readonly sink: LexerSink) {}

  /** One line as psql reads it: without its \n (a \r stays, and is a newline to the lexer). */
  lexLine(line: string): void {
    const topLevelAtStart = this.state === 'initial' || this.state === 'afterString';
    if (this.state === 'string' || this.state === 'quotedIdent' || this.state === 'dollar') this.appendLiteral('\n', 0, 1);
    let i = 0;
    while (i < line.length) {
      switch (this.state) {
        case 'initial':
          i = this.initial(line, i, topLevelAtStart);
          if (i < 0) return;
          break;
        case 'comment':
          i = this.comment(line, i);
          break;
        case 'string':
          i = this.string(line, i);
          break;
        case 'afterString':
          i = this.afterString(line, i);
          break;
        case 'quotedIdent':
          i = this.quotedIdent(line, i);
          break;
        case 'dollar':
          i = this.dollarBody(line, i);
          break;
      }
    }
  }

  /** End of input: a string its last character closed is complete. */
  finish(): void {
    if (this.state !== 'afterString') return;
    this.state = 'initial';
    this.emitLiteral();
  }

  /** Returns where to go on, or -1 when the line was a psql command, dealt with as a whole. */
  private initial(line: string, i: number, topLevelAtStart: boolean): number {
    const c = line.charCodeAt(i);
    if (isSpace(c)) return i + 1;
    const next = line.charCodeAt(i + 1);
    if (c === DASH && next === DASH) return lineCommentEnd(line, i);
    if (c === SLASH && next === STAR) {
      this.state = 'comment';
      this.commentDepth = 0;
      return i + 2;
    }
    if (c === BACKSLASH) {
      this.sink.backslash(i, topLevelAtStart && isBlank(line, 0, i));
      return -1;
    }
    this.sink.tokenStart(i);
    switch (c) {
      case QUOTE:
        return this.openString('plain', i + 1);
      case DQUOTE:
        return this.openQuotedIdent(i + 1);
      case DOLLAR:
        return this.dollar(line, i);
      case COLON:
        return this.colon(line, i);
      case SEMICOLON:
        return this.semicolon(i);
      case LPAREN:
        this.symbol('(');
        this.parenDepth++;
        return i + 1;
      case RPAREN:
        if (this.parenDepth > 0) this.parenDepth--;
        this.symbol(')');
        return i + 1;
    }
    if (isDigit(c) || (c === DOT && isDigit(next))) return this.number(line, i);
    if (isIdentStart(c)) return this.word(line, i);
    this.symbol(line.charAt(i));
    return i + 1;
  }

  private semicolon(i: number): number {
    if (this.parenDepth === 0 && this.beginDepth === 0) {
      this.identifierCount = 0;
      this.sink.statementEnd(i + 1);
    } else this.sink.innerSemicolon();
    return i + 1;
  }

  private word(line: string, i: number): number {
    const lower = line.charCodeAt(i) | 0x20;
    const next = line.charCodeAt(i + 1);
    if (next === QUOTE) {
      if (lower === 0x62 || lower === 0x78) return this.openString('bits', i + 2); // B'…', X'…'
      if (lower === 0x65) return this.openString('escape', i + 2); // E'…'
      if (lower === 0x6e) return i + 1; // N'…': psql eats the n alone, and the quote opens a plain string
    }
    if (lower === 0x75 && next === AMPERSAND) {
      const third = line.charCodeAt(i + 2);
      if (third === QUOTE) return this.openString('unicode', i + 3);
      if (third === DQUOTE) return this.openQuotedIdent(i + 3);
      return i + 1; // psql throws back all but the u, which is then no identifier to it
    }
    let end = i + 1;
    while (isIdentCont(line.charCodeAt(end))) end++;
    const raw = line.slice(i, end);
    const text = asciiLower(raw);
    this.trackBeginEnd(text);
    this.sink.token({ type: 'word', text, raw, depth: this.parenDepth });
    return end;
  }

  /** psqlscan.l's {identifier} rule, to the letter. */
  private trackBeginEnd(word: string): void {
    if (this.identifierCount === 0) this.identifiers = ['', '', '', ''];
    if (['create', 'function', 'procedure', 'or', 'replace'].includes(word) && this.identifierCount < 4) {
      this.identifiers[this.identifierCount] = word.charAt(0);
    }
    this.identifierCount++;
    const [first, second, third, fourth] = this.identifiers;
    const routine = first === 'c' && (second === 'f' || second === 'p' || (second === 'o' && third === 'r' && (fourth === 'f' || fourth === 'p')));
    if (!routine || this.parenDepth !== 0) return;
    if (word === 'begin') this.beginDepth++;
    else if (word === 'case' && this.beginDepth >= 1) this.beginDepth++;
    else if (word === 'end' && this.beginDepth > 0) this.beginDepth--;
  }

  private number(line: string, i: number): number {
    NUMBER.lastIndex = i;
    NUMBER.exec(line);
    const end = NUMBER.lastIndex;
    // 1e'…', 0x1F, 1_000, 1begin: psql 14, 15 and 16+ each split these differently (a string
    // prefix, an identifier, or junk), so where strings and statements start would depend on it.
    if (isIdentCont(line.charCodeAt(end))) {
      this.sink.refuse('NUMBER', 'a number runs straight into letters; psql versions read that differently, so it cannot be checked');
    }
    this.sink.token({ type: 'number', text: line.slice(i, end), raw: line.slice(i, end), depth: this.parenDepth });
    return end;
  }

  private colon(line: string, i: number): number {
    const next = line.charCodeAt(i + 1);
    if (next === COLON || next === EQUALS) {
      this.symbol(next === COLON ? '::' : ':=');
      return i + 2;
    }
    if (isVariableChar(next)) {
      let end = i + 2;
      while (isVariableChar(line.charCodeAt(end))) end++;
      const name = line.slice(i + 1, end);
      // psql replaces :NAME by the variable's value and reads that as SQL too.
      if (PSQL_VARIABLE.test(name))
        this.sink.refuse(`:${name}`, `:${name} would be replaced by psql's variable of that name, which this check cannot see`);
      this.variable(line.slice(i, end));
      return end;
    }
    // :'name', :"name" and :{?name} are single tokens to psql: their quotes open nothing.
    const close = next === QUOTE || next === DQUOTE ? next : next === LBRACE && line.charCodeAt(i + 2) === QUESTION ? RBRACE : 0;
    if (close !== 0) {
      const from = close === RBRACE ? i + 3 : i + 2;
      let end = from;
      while (isVariableChar(line.charCodeAt(end))) end++;
      if (end > from && line.charCodeAt(end) === close) {
        this.variable(line.slice(i, end + 1));
        return end + 1;
      }
    }
    this.symbol(':');
    return i + 1;
  }

  private dollar(line: string, i: number): number {
    const next = line.charCodeAt(i + 1);
    if (isDigit(next)) {
      let end = i + 2;
      while (isDigit(line.charCodeAt(end))) end++;
      if (isIdentCont(line.charCodeAt(end))) {
        this.sink.refuse('NUMBER', 'a parameter runs straight into letters; psql versions read that differently, so it cannot be checked');
      }
      this.sink.token({ type: 'number', text: line.slice(i, end), raw: line.slice(i, end), depth: this.parenDepth });
      return end;
    }
    let end = i + 1;
    if (isIdentStart(next)) {
      end++;
      while (isVariableChar(line.charCodeAt(end))) end++;
    }
    if (line.charCodeAt(end) === DOLLAR) {
      this.dollarTag = line.slice(i, end + 1);
      this.state = 'dollar';
      this.openLiteral('string', 'standard');
      return end + 1;
    }
    // Not a delimiter: psql keeps the $ alone and reads what follows again (an identifier, say).
    this.symbol('$');
    return i + 1;
  }

  private comment(line: string, i: number): number {
    let at = i;
    for (;;) {
      const open = line.indexOf('/*', at);
      const close = line.indexOf('*/', at);
      if (open < 0 && close < 0) return line.length;
      if (open >= 0 && (close < 0 || open < close)) {
        // Block comments nest in PostgreSQL.
        this.commentDepth++;
        at = open + 2;
        continue;
      }
      at = close + 2;
      if (this.commentDepth === 0) {
        this.state = 'initial';
        return at;
      }
      this.commentDepth--;
    }
  }

  private string(line: string, i: number): number {
    const end = this.flavor === 'plain' ? this.plainStringEnd(line, i) : stringEnd(line, i, this.flavor);
    this.appendLiteral(line, i, end < 0 ? line.length : end - 1);
    if (end < 0) return line.length;
    this.state = 'afterString';
    return end;
  }

  /**
   * psql reads '…' by the server's standard_conforming_strings, which the script can change in ways
   * no filter can follow (set_config in a function, ROLLBACK TO SAVEPOINT, …). So such a string
   * must end at the same place either way, as every string pg_dump writes does.
   */
  private plainStringEnd(line: string, i: number): number {
    const asStandard = stringEnd(line, i, 'standard');
    if (stringEnd(line, i, 'escape') !== asStandard) {
      this.sink.refuse('STRING', "a '…' string with a backslash before a quote ends at different places depending on standard_conforming_strings");
    }
    return asStandard;
  }

  private afterString(line: string, i: number): number {
    const resume = quoteContinuation(line, i);
    if (resume >= 0) {
      this.state = 'string';
      return resume;
    }
    this.state = 'initial';
    this.emitLiteral();
    return i;
  }

  private quotedIdent(line: string, i: number): number {
    let at = i;
    for (;;) {
      const quote = line.indexOf('"', at);
      if (quote < 0) {
        this.appendLiteral(line, i, line.length);
        return line.length;
      }
      if (line.charCodeAt(quote + 1) === DQUOTE) {
        at = quote + 2;
        continue;
      }
      this.appendLiteral(line, i, quote);
      this.state = 'initial';
      this.emitLiteral();
      return quote + 1;
    }
  }

  private dollarBody(line: string, i: number): number {
    let at = i;
    for (;;) {
      const dollar = line.indexOf('$', at);
      if (dollar < 0) {
        this.appendLiteral(line, i, line.length);
        return line.length;
      }
      let end = dollar + 1;
      if (isIdentStart(line.charCodeAt(end))) {
        end++;
        while (isVariableChar(line.charCodeAt(end))) end++;
      }
      if (line.charCodeAt(end) !== DOLLAR) {
        at = end;
        continue;
      }
      if (line.slice(dollar, end + 1) === this.dollarTag) {
        this.appendLiteral(line, i, dollar);
        this.state = 'initial';
        this.emitLiteral();
        return end + 1;
      }
      // Another tag: psql puts back its closing $, which may open the real delimiter ($x$$tag$).
      at = end;
    }
  }

  private openString(flavor: StringFlavor, at: number): number {
    this.flavor = flavor;
    this.state = 'string';
    this.openLiteral('string', flavor === 'plain' ? (this.standardStrings ? 'standard' : 'escape') : flavor);
    return at;
  }

  private openQuotedIdent(at: number): number {
    this.state = 'quotedIdent';
    this.openLiteral('quoted', 'standard');
    return at;
  }

  private openLiteral(type: 'string' | 'quoted', flavor: StringFlavor): void {
    this.literal = '';
    this.literalType = type;
    this.literalFlavor = flavor;
    this.literalDepth = this.parenDepth;
  }

  private appendLiteral(line: string, from: number, to: number): void {
    if (this.literal.length < VALUE_LIMIT) this.literal += line.slice(from, Math.min(to, from + VALUE_LIMIT - this.literal.length));
  }

  private emitLiteral(): void {
    const text = this.literalType === 'quoted' ? this.literal.replace(/""/g, '"') : decodeString(this.literal, this.literalFlavor);
    this.sink.token({ type: this.literalType, text, raw: text, depth: this.literalDepth });
  }

  private symbol(text: string): void {
    this.sink.token({ type: 'symbol', text, raw: text, depth: this.parenDepth });
  }

  private variable(text: string): void {
    this.sink.token({ type: 'variable', text, raw: text, depth: this.parenDepth });
  }
}

// ---------------------------------------------------------------------------------------------
// Statements: what each one is, and whether it is sent, replaced by comments or refused.

type Decision = 'pending' | 'keep' | 'drop';

/** Kinds decided at their end, whose every token may matter; the others need only their first few. */
const WHOLE_KINDS = new Set(['copy', 'alter', 'grant', 'revoke', 'set', 'reset']);
const HEAD_KINDS = new Set(['create', 'drop', 'comment', 'security', 'select', 'start', 'prepare']);

class Statement {
  readonly tokens: Token[] = [];
  /** The last three tokens, for an OWNER TO past the tokens kept. */
  readonly tail: Token[] = [];
  kind = '';
  decision: Decision = 'pending';
  reason: SkipReason = 'ownership';
  innerSemicolon = false;
  /** The next token starts a statement of its own to the server (after an inner semicolon). */
  segmentStart = false;
  /** Its text with whitespace collapsed, for messages. */
  text = '';
  size = 0;
  private tokenLimit = 1;

  constructor(readonly line: number) {}

  add(token: Token): void {
    if (this.tokens.length === 0) {
      this.kind = token.type === 'word' ? token.text : '';
      this.tokenLimit = WHOLE_KINDS.has(this.kind) ? 8192 : HEAD_KINDS.has(this.kind) ? 32 : 1;
    }
    if (this.tokens.length < this.tokenLimit) this.tokens.push(token);
    this.tail.push(token);
    if (this.tail.length > 3) this.tail.shift();
  }

  /** Its part of a line, from `from` to `to`. */
  addText(line: string, from: number, to: number): void {
    this.size += to - from;
    if (this.text.length >= TEXT_LIMIT) return;
    const collapsed = line
      .slice(from, Math.min(to, from + 2 * TEXT_LIMIT))
      .replace(/\s+/g, ' ')
      .trim();
    if (collapsed) this.text = clip(this.text ? `${this.text} ${collapsed}` : collapsed);
  }

  decide(outcome: SkipReason | 'keep'): void {
    if (this.decision !== 'pending') return;
    if (outcome === 'keep') this.decision = 'keep';
    else {
      this.decision = 'drop';
      this.reason = outcome;
    }
  }
}

const isWord = (token: Token | undefined, word: string) => token?.type === 'word' && token.text === word;
const isSymbol = (token: Token | undefined, symbol: string) => token?.type === 'symbol' && token.text === symbol;

/** How far `tokens` follow `pattern` (words and symbols; '*' is any token). */
function follows(tokens: readonly Token[], pattern: readonly string[]): 'yes' | 'so far' | 'no' {
  for (const [i, expected] of pattern.entries()) {
    const token = tokens[i];
    if (!token) return 'so far';
    if (expected !== '*' && !isWord(token, expected) && !isSymbol(token, expected)) return 'no';
  }
  return 'yes';
}

/** The first of several patterns: 'yes' if one matches, 'so far' if one still may. */
function followsAny(tokens: readonly Token[], patterns: ReadonlyArray<readonly string[]>): { result: 'yes' | 'so far' | 'no'; length: number } {
  let best: 'so far' | 'no' = 'no';
  for (const pattern of patterns) {
    const result = follows(tokens, pattern);
    if (result === 'yes') return { result, length: pattern.length };
    if (result === 'so far') best = 'so far';
  }
  return { result: best, length: 0 };
}

const SET_CONFIG = [
  ['select', 'set_config', '('],
  ['select', 'pg_catalog', '.', 'set_config', '('],
];
const SECURITY_LABEL_ON_DATABASE = [
  ['security', 'label', 'on', 'database'],
  ['security', 'label', 'for', '*', 'on', 'database'],
];

const identifierValue = (token: Token | undefined) => (token?.type === 'word' ? token.raw : token?.type === 'quoted' ? token.text : null);

/** a.b.c from `at`, unquoted, or null. */
function qualifiedName(tokens: readonly Token[], at: number): string[] | null {
  const parts: string[] = [];
  for (let i = at; ; i += 2) {
    const part = identifierValue(tokens[i]);
    if (part === null) break;
    parts.push(part);
    if (!isSymbol(tokens[i + 1], '.')) break;
  }
  return parts.length > 0 ? parts : null;
}

const NOT_ROLES = new Set(['public', 'current_user', 'session_user', 'current_role', 'none', 'default']);

function roleName(token: Token | undefined): string | null {
  if (token?.type === 'word') return NOT_ROLES.has(token.text) ? null : token.text;
  if (token?.type === 'quoted' || token?.type === 'string') return token.text || null;
  return null;
}

/** The roles of `TO a, b` / `FROM a, b`, from `at` on. */
function grantees(tokens: readonly Token[], at: number): string[] {
  const names: string[] = [];
  for (let i = at; i < tokens.length; i++) {
    const token = tokens[i];
    if (['with', 'granted', 'cascade', 'restrict'].some((word) => isWord(token, word))) break;
    if (isSymbol(token, ',') || isWord(token, 'group')) continue;
    const name = roleName(token);
    if (name !== null) names.push(name);
  }
  return names;
}

/** Client encodings whose second bytes can be a quote or a backslash: psql would read the rest of the file in them. */
const UNSAFE_ENCODINGS = new Set([
  'sjis',
  'shiftjis',
  'mskanji',
  'win932',
  'cp932',
  'shiftjis2004',
  'big5',
  'win950',
  'cp950',
  'gbk',
  'win936',
  'cp936',
  'gb18030',
  'uhc',
  'win949',
  'cp949',
  'johab',
]);

const OFF_VALUES = new Set(['off', 'of', 'false', 'fals', 'fal', 'fa', 'f', 'no', 'n', '0']);

// ---------------------------------------------------------------------------------------------

interface Span {
  statement: Statement;
  from: number;
  to: number;
}

interface HeldLine {
  content: string;
  spans: Span[];
}

const CONNECT = /^[ \t\f\r]*\\(?:c|connect)(?:[ \t\f\r]|$)/;
const RESTRICT = /^[ \t\f\r]*\\(?:un)?restrict[ \t\f\r]+[A-Za-z0-9]+[ \t\f\r]*$/;

const skippedLine = (reason: SkipReason) => `-- [skipped by Simple DB: ${reason}]`;
const skippedMark = (reason: SkipReason) => `/* [skipped by Simple DB: ${reason}] */`;

/** A line whose dropped statements are removed: a comment line when nothing else is left on it. */
function render(line: HeldLine): string {
  const dropped = line.spans.filter((span) => span.statement.decision === 'drop');
  const first = dropped[0];
  if (!first) return `${line.content}\n`;
  let kept = '';
  let marked = '';
  let at = 0;
  for (const span of dropped) {
    const between = line.content.slice(at, span.from);
    kept += between;
    // A dropped statement starts and ends at the top level, so a comment fits exactly where it was.
    marked += between + skippedMark(span.statement.reason);
    at = span.to;
  }
  const rest = line.content.slice(at);
  return isBlank(kept + rest) ? `${skippedLine(first.statement.reason)}\n` : `${marked}${rest}\n`;
}

/** The command name as psql reads it: up to whitespace or the next backslash. */
function commandName(line: string, at: number): string {
  let end = at + 1;
  while (end < line.length && end < at + 33 && !isSpace(line.charCodeAt(end)) && line.charCodeAt(end) !== BACKSLASH) end++;
  return `\\${line.slice(at + 1, end) || line.charAt(at + 1)}`;
}

export class PlainScriptFilter {
  private readonly dropOwnership: boolean;
  private readonly dropPrivileges: boolean;
  private readonly skipSettings: ReadonlySet<string>;
  private readonly keepRestrict: boolean;
  private readonly lexer: PsqlLexer;

  private partial = '';
  private lineNumber = 0;
  private lineText = '';
  /** The statement under way: its lines are held while it may still be replaced. */
  private statement: Statement | null = null;
  private lineSpans: Span[] = [];
  /** The whole line's output, for a psql command line. */
  private lineReplacement: string | null = null;
  private held: HeldLine[] = [];
  private output: string[] = [];
  /** A COPY … FROM stdin ended on this line: its data starts on the next one. */
  private copyTarget: string | null = null;
  /** Reading COPY data for this table. */
  private dataTarget: string | null = null;
  private refused: ScriptRefused | null = null;
  private ended = false;

  private readonly tables = new Set<string>();
  private readonly rowCounts = new Map<string, number>();
  private readonly schemas = new Set<string>();
  private readonly settings = new Set<string>();
  private readonly roles = new Set<string>();
  private readonly skipped: ScriptSummary['skipped'] = [];
  private sourceServerVersion: string | null = null;
  private toolVersion: string | null = null;
  private complete = false;

  constructor(options: PlainScriptOptions = {}) {
    this.dropOwnership = options.dropOwnership ?? false;
    this.dropPrivileges = options.dropPrivileges ?? false;
    this.skipSettings = options.skipSettings ?? new Set();
    this.keepRestrict = options.keepRestrict ?? true;
    this.lexer = new PsqlLexer({
      tokenStart: (column) => this.tokenStart(column),
      token: (token) => this.token(token),
      statementEnd: (column) => this.statementEnd(column),
      innerSemicolon: () => this.innerSemicolon(),
      backslash: (column, atLineStart) => this.backslash(column, atLineStart),
      refuse: (command, why) => this.refuse(command, why),
    });
  }

  /** Feed the next chunk (any split); returns the complete lines ready to forward, each ending with \n. */
  push(chunk: string): string {
    return this.guarded(() => {
      const text = this.partial + chunk;
      let start = 0;
      for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
        this.readLine(text.slice(start, newline));
        start = newline + 1;
      }
      this.partial = text.slice(start);
    });
  }

  /** End of input: returns the rest of the output (a last line without \n gets one). */
  end(): string {
    return this.guarded(() => {
      if (this.partial.length > 0) {
        const last = this.partial;
        this.partial = '';
        this.readLine(last);
      }
      this.lexer.finish();
      // psql sends what it holds at the end of its input, terminated or not.
      const statement = this.statement;
      if (statement) {
        this.statement = null;
        this.finishStatement(statement);
      }
      this.copyTarget = null;
      this.flush();
      this.ended = true;
    });
  }

  get summary(): ScriptSummary {
    return {
      tables: [...this.tables],
      rowCounts: Object.fromEntries(this.rowCounts),
      schemas: [...this.schemas],
      settings: [...this.settings],
      roles: [...this.roles],
      sourceServerVersion: this.sourceServerVersion,
      toolVersion: this.toolVersion,
      complete: this.complete,
      lines: this.lineNumber,
      skipped: this.skipped.map((entry) => ({ ...entry })),
    };
  }

  /** Once refused, always refused: nothing of the bad line or after it ever comes out. */
  private guarded(read: () => void): string {
    if (this.refused) throw this.refused;
    if (this.ended) throw new Error('PlainScriptFilter: end() was already called');
    try {
      read();
    } catch (error) {
      if (error instanceof ScriptRefused) {
        this.refused = error;
        this.output = [];
        this.held = [];
      }
      throw error;
    }
    const output = this.output.join('');
    this.output = [];
    return output;
  }

  private readLine(raw: string): void {
    this.lineNumber++;
    // A byte-order mark would be an identifier to psql and break the first statement.
    const line = this.lineNumber === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    this.lineText = line;
    // psql cuts a line at a NUL (strlen) and then misses the end of a COPY block after it.
    if (line.includes('\0')) this.refuse('NUL', 'the file contains a NUL character, where psql would silently cut the line');
    if (this.dataTarget !== null) this.readData(line, this.dataTarget);
    else this.readSql(line);
  }

  /** COPY data goes through as it is, backslashes and all, up to a line that is exactly \. */
  private readData(line: string, table: string): void {
    if (line === '\\.' || line === '\\.\r') this.dataTarget = null;
    else this.rowCounts.set(table, (this.rowCounts.get(table) ?? 0) + 1);
    this.output.push(`${line}\n`);
  }

  private readSql(line: string): void {
    if (this.lexer.state === 'initial' && !this.statement) this.noteHeader(line);
    this.lineSpans = this.statement ? [{ statement: this.statement, from: 0, to: -1 }] : [];
    this.lineReplacement = null;
    this.lexer.lexLine(line);
    for (const span of this.lineSpans) {
      if (span.to >= 0) continue;
      span.to = line.length;
      span.statement.addText(line, span.from, span.to);
      if (span.statement.decision === 'pending' && span.statement.size > HELD_LIMIT) {
        this.refuse('STATEMENT', `a ${span.statement.kind.toUpperCase()} statement longer than ${HELD_LIMIT} characters`, span.statement);
      }
    }
    if (this.copyTarget !== null) {
      // psql reads the data from the next line on and only then the rest of this one.
      if (this.lexer.state !== 'initial') this.refuse('COPY', 'COPY … FROM stdin must be the last thing on its line');
      this.dataTarget = this.copyTarget;
      this.copyTarget = null;
    }
    this.held.push(this.lineReplacement === null ? { content: line, spans: this.lineSpans } : { content: this.lineReplacement, spans: [] });
    this.flush();
  }

  private noteHeader(line: string): void {
    if (!line.startsWith('--')) return;
    const from = /^--\s*Dumped from database version\s+(\S+)/.exec(line);
    if (from && this.sourceServerVersion === null) this.sourceServerVersion = from[1] ?? null;
    const by = /^--\s*Dumped by pg_dump version\s+(\S+)/.exec(line);
    if (by && this.toolVersion === null) this.toolVersion = by[1] ?? null;
    if (/^--\s*PostgreSQL database dump complete\s*$/.test(line)) this.complete = true;
  }

  /** Emits the held lines whose statements are all decided. */
  private flush(): void {
    let ready = 0;
    while (ready < this.held.length && this.held[ready]?.spans.every((span) => span.statement.decision !== 'pending')) ready++;
    for (const line of this.held.splice(0, ready)) this.output.push(render(line));
  }

  private tokenStart(column: number): void {
    if (this.copyTarget !== null) this.refuse('COPY', 'COPY … FROM stdin must be the last thing on its line');
    if (this.statement) return;
    this.statement = new Statement(this.lineNumber);
    this.lineSpans.push({ statement: this.statement, from: column, to: -1 });
  }

  private token(token: Token): void {
    const statement = this.statement;
    if (!statement) return;
    if (statement.segmentStart) {
      statement.segmentStart = false;
      // psql sends the whole compound at once and the data would follow it, not this COPY.
      if (isWord(token, 'copy')) this.refuse('COPY', 'COPY inside a compound statement (after a semicolon psql does not split at)');
    }
    statement.add(token);
    if (statement.decision === 'pending') this.decideEarly(statement);
  }

  private statementEnd(column: number): void {
    const statement = this.statement;
    const span = this.lineSpans[this.lineSpans.length - 1];
    if (!statement || !span) return;
    span.to = column;
    statement.addText(this.lineText, span.from, column);
    this.statement = null;
    this.finishStatement(statement);
  }

  private innerSemicolon(): void {
    if (!this.statement) return;
    this.statement.innerSemicolon = true;
    this.statement.segmentStart = true;
  }

  private backslash(column: number, atLineStart: boolean): void {
    const line = this.lineText;
    if (atLineStart && !this.statement && this.copyTarget === null) {
      // pg_dump -C writes \connect; our restore runs in the database chosen for it.
      if (CONNECT.test(line)) return this.replaceLine('connect', line);
      if (RESTRICT.test(line)) {
        if (this.keepRestrict) this.lineReplacement = line;
        else this.replaceLine('restrict', line);
        return;
      }
    }
    const command = commandName(line, column);
    this.refuse(
      command,
      `${command} is a psql command; a restored script may not run psql commands (they can run programs and read or write files on this machine)`,
    );
  }

  private replaceLine(reason: SkipReason, line: string): void {
    this.lineReplacement = skippedLine(reason);
    this.addSkipped(this.lineNumber, reason, line.trim());
  }

  private refuse(command: string, why: string, statement?: Statement): never {
    if (statement) throw new ScriptRefused(statement.line, command, statement.text, why);
    throw new ScriptRefused(this.lineNumber, command, clip(this.lineText.replace(/\r$/, '')), why);
  }

  private addSkipped(line: number, reason: SkipReason, text: string): void {
    if (this.skipped.length < SKIPPED_LIMIT) this.skipped.push({ line, reason, text: clip(text) });
  }

  /** What can be known from a statement's first tokens: most are sent at once, line by line. */
  private decideEarly(statement: Statement): void {
    const tokens = statement.tokens;
    const second = tokens[1];
    switch (statement.kind) {
      case 'copy':
      case 'set':
      case 'reset':
      case 'grant':
      case 'revoke':
        return; // decided at their end
      case 'alter':
        if (!second) return;
        if (isWord(second, 'database')) return statement.decide('database');
        if (isWord(second, 'default')) {
          if (tokens.length < 3) return;
          if (isWord(tokens[2], 'privileges')) return statement.decide(this.dropPrivileges ? 'privileges' : 'keep');
        }
        if (!this.dropOwnership) statement.decide('keep');
        return;
      case 'create':
      case 'drop':
        if (second) statement.decide(isWord(second, 'database') ? 'database' : 'keep');
        return;
      // The restore is one transaction of Simple DB's own: pg_dump's BEGIN/COMMIT around large
      // objects would end it early (committing half a restore), so they become comments, and any
      // other way of ending it is refused.
      case 'begin':
      case 'commit':
      case 'end':
        return statement.decide('transaction');
      case 'start':
        if (second) statement.decide(isWord(second, 'transaction') ? 'transaction' : 'keep');
        return;
      case 'rollback':
      case 'abort':
        return this.refuse(statement.kind.toUpperCase(), 'it would undo the restore so far and run the rest outside its transaction', statement);
      case 'prepare':
        if (second && isWord(second, 'transaction')) return this.refuse('PREPARE TRANSACTION', "it would end the restore's transaction", statement);
        if (second) statement.decide('keep');
        return;
      case 'comment':
        return this.decideByPattern(statement, [['comment', 'on', 'database']], 'database');
      case 'security':
        return this.decideByPattern(statement, SECURITY_LABEL_ON_DATABASE, 'database');
      case 'select':
        // SELECT pg_catalog.set_config(…) waits for its end; every other SELECT goes at once.
        if (followsAny(tokens, SET_CONFIG).result === 'no') statement.decide('keep');
        return;
      default:
        statement.decide('keep');
    }
  }

  private decideByPattern(statement: Statement, patterns: ReadonlyArray<readonly string[]>, reason: SkipReason): void {
    const { result } = followsAny(statement.tokens, patterns);
    if (result !== 'so far') statement.decide(result === 'yes' ? reason : 'keep');
  }

  /** At a statement's end (or the end of input): its final decision, and what the summary learns from it. */
  private finishStatement(statement: Statement): void {
    switch (statement.kind) {
      case 'copy':
        this.finishCopy(statement);
        break;
      case 'create':
        this.noteCreated(statement.tokens);
        break;
      case 'alter':
        this.finishAlter(statement);
        break;
      case 'grant':
      case 'revoke':
        this.finishGrant(statement, 0);
        break;
      case 'set':
        this.finishSet(statement);
        break;
      case 'reset':
        this.finishReset(statement);
        break;
      case 'select':
        this.finishSelect(statement);
        break;
    }
    statement.decide('keep');
    if (statement.decision === 'drop') this.addSkipped(statement.line, statement.reason, statement.text);
  }

  private finishCopy(statement: Statement): void {
    const tokens = statement.tokens;
    const refuse = (command: string, why: string): never => this.refuse(command, why, statement);
    if (statement.innerSemicolon) refuse('COPY', 'COPY inside a compound statement (after a semicolon psql does not split at)');
    if (tokens.some((token) => isWord(token, 'binary') || (token.type === 'string' && token.text.toLowerCase() === 'binary'))) {
      refuse('COPY BINARY', 'binary COPY data cannot be part of a plain script');
    }
    const direction = tokens.findIndex((token, i) => i > 0 && token.depth === 0 && (isWord(token, 'from') || isWord(token, 'to')));
    const where = tokens[direction + 1];
    if (direction < 0 || !where) refuse('COPY', 'a COPY statement of a form pg_dump does not write');
    if (isWord(where, 'program')) refuse('COPY PROGRAM', 'COPY … PROGRAM runs a program on the database server');
    if (where?.type === 'string') refuse('COPY FILE', 'COPY from or to a file reads or writes files on the database server');
    if (!isWord(where, 'stdin') && !isWord(where, 'stdout')) refuse('COPY', 'a COPY statement of a form pg_dump does not write');
    // FROM STDIN, and FROM STDOUT too to the server: the data follows in the script.
    if (isWord(tokens[direction], 'from')) {
      const table = (qualifiedName(tokens, 1) ?? ['?']).join('.');
      this.copyTarget = table;
      if (!this.rowCounts.has(table)) this.rowCounts.set(table, 0);
    }
  }

  private noteCreated(tokens: readonly Token[]): void {
    const at = (i: number) => tokens[i];
    const skipIfNotExists = (i: number) => (isWord(at(i), 'if') && isWord(at(i + 1), 'not') && isWord(at(i + 2), 'exists') ? i + 3 : i);
    const tableAt = isWord(at(1), 'table') ? 2 : isWord(at(1), 'unlogged') && isWord(at(2), 'table') ? 3 : -1;
    if (tableAt > 0) {
      const name = qualifiedName(tokens, skipIfNotExists(tableAt));
      if (name) this.tables.add(name.join('.'));
    }
    if (isWord(at(1), 'schema')) {
      const name = identifierValue(at(skipIfNotExists(2)));
      if (name !== null && !isWord(at(skipIfNotExists(2)), 'authorization')) this.schemas.add(name);
      return;
    }
    for (let i = 1; i < tokens.length; i++) {
      const token = at(i);
      if (isWord(token, 'with') && isWord(at(i + 1), 'schema')) {
        const name = identifierValue(at(i + 2));
        if (name !== null) this.schemas.add(name);
        return;
      }
      if (token?.depth !== 0 || identifierValue(token) === null || !isSymbol(at(i + 1), '.')) continue;
      const name = qualifiedName(tokens, i);
      const schema = name?.[name.length - 2];
      if (schema !== undefined) this.schemas.add(schema);
      return;
    }
  }

  private finishAlter(statement: Statement): void {
    const tokens = statement.tokens;
    // pg_dump's OWNER TO ends the statement: the tail has it when the statement was too long to keep.
    const ownerTo = (list: readonly Token[]) =>
      list.findIndex((token, i) => token.depth === 0 && isWord(token, 'owner') && isWord(list[i + 1], 'to'));
    const list = ownerTo(tokens) >= 0 ? tokens : statement.tail;
    const at = ownerTo(list);
    if (at >= 0) {
      const role = roleName(list[at + 2]);
      if (role !== null) this.roles.add(role);
      if (this.dropOwnership) statement.decide('ownership');
    }
    if (isWord(tokens[1], 'default') && isWord(tokens[2], 'privileges')) {
      const action = tokens.findIndex((token, i) => i > 2 && token.depth === 0 && (isWord(token, 'grant') || isWord(token, 'revoke')));
      if (action > 0) this.finishGrant(statement, action);
    }
  }

  /** GRANT/REVOKE at `at` (0, or inside ALTER DEFAULT PRIVILEGES). */
  private finishGrant(statement: Statement, at: number): void {
    const tokens = statement.tokens;
    const target = isWord(tokens[at], 'grant') ? 'to' : 'from';
    const list = tokens.findIndex((token, i) => i > at && token.depth === 0 && isWord(token, target));
    if (list > 0) for (const role of grantees(tokens, list + 1)) this.roles.add(role);
    // GRANT … ON DATABASE names the database the dump came from, not the one we restore into.
    const onDatabase = tokens.some((token, i) => i > at && token.depth === 0 && isWord(token, 'on') && isWord(tokens[i + 1], 'database'));
    statement.decide(onDatabase ? 'database' : this.dropPrivileges ? 'privileges' : 'keep');
  }

  private finishSet(statement: Statement): void {
    const tokens = statement.tokens;
    const sessionAuthorization = (i: number) => isWord(tokens[i], 'session') && isWord(tokens[i + 1], 'authorization');
    let i = 1;
    if (isWord(tokens[1], 'local') || (isWord(tokens[1], 'session') && !sessionAuthorization(1) && !isWord(tokens[2], 'characteristics'))) i = 2;
    if (sessionAuthorization(i)) return this.noteOwnership(statement, tokens[i + 2]);
    if (isWord(tokens[i], 'role')) {
      const skip = isSymbol(tokens[i + 1], '=') || isWord(tokens[i + 1], 'to') ? 1 : 0;
      return this.noteOwnership(statement, tokens[i + 1 + skip]);
    }
    if (isWord(tokens[i], 'names')) return this.checkEncoding(statement, tokens[i + 1]);
    const name = qualifiedName(tokens, i);
    if (!name) return;
    const operator = tokens[i + name.length * 2 - 1];
    if (isSymbol(operator, '=') || isWord(operator, 'to')) this.noteSetting(statement, name.join('.').toLowerCase(), tokens[i + name.length * 2]);
  }

  private finishReset(statement: Statement): void {
    const [, first, second] = statement.tokens;
    if (isWord(first, 'role') || (isWord(first, 'session') && isWord(second, 'authorization'))) return this.noteOwnership(statement, undefined);
    if (isWord(first, 'all') || isWord(first, 'standard_conforming_strings')) this.lexer.standardStrings = true;
  }

  private finishSelect(statement: Statement): void {
    const tokens = statement.tokens;
    const { result, length } = followsAny(tokens, SET_CONFIG);
    const name = tokens[length];
    if (result !== 'yes' || name?.type !== 'string') return;
    this.noteSetting(statement, name.text.toLowerCase(), isSymbol(tokens[length + 1], ',') ? tokens[length + 2] : undefined);
  }

  private noteOwnership(statement: Statement, role: Token | undefined): void {
    const name = roleName(role);
    if (name !== null) this.roles.add(name);
    if (this.dropOwnership) statement.decide('ownership');
  }

  private noteSetting(statement: Statement, name: string, value: Token | undefined): void {
    this.settings.add(name);
    // A skipped setting never reaches the server, so it changes nothing for what follows.
    if (this.skipSettings.has(name)) return statement.decide('setting');
    if (name === 'client_encoding') this.checkEncoding(statement, value);
    if (name === 'standard_conforming_strings') this.lexer.standardStrings = !OFF_VALUES.has((value?.text ?? '').toLowerCase());
  }

  /** psql lexes the rest of the file in the new client encoding: in these, a quote or backslash can hide in a character. */
  private checkEncoding(statement: Statement, value: Token | undefined): void {
    const encoding = (value?.text ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
    if (UNSAFE_ENCODINGS.has(encoding)) {
      this.refuse(
        'SET client_encoding',
        `client encoding ${value?.text ?? ''} would let multibyte characters hide quotes and backslashes from this check`,
        statement,
      );
    }
  }
}

/** Convenience: filter a whole text at once (tests, small files). */
export function filterPlainScript(text: string, options?: PlainScriptOptions): { output: string; summary: ScriptSummary } {
  const filter = new PlainScriptFilter(options);
  const output = filter.push(text) + filter.end();
  return { output, summary: filter.summary };
}
