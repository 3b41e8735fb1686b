// syntax.h: the language as written: tokens, typed literals, the syntax tree,
// and the schema that says which blocks and attributes may appear where.
#ifndef ECSC_SYNTAX_H
#define ECSC_SYNTAX_H

#include "base.h"

//
// literal.c: the typed literals, parsed from their text alone (unit-tested)
//

// The language's characters: a name starts with a letter or _ and goes on
// with those, digits and -; the lexer and the literals share these.
static inline bool char_digit(char c) {
  return c >= '0' && c <= '9';
}
static inline bool char_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static inline bool char_ident(char c) {
  return char_alpha(c) || char_digit(c) || c == '-';
}

typedef struct {
  uint32_t addr;   // host byte order
  uint8_t prefix;  // 0..32
} Cidr;

typedef enum {
  LIT_OK,
  LIT_BAD_OCTET,      // an octet over 255
  LIT_LEADING_ZERO,   // an octet with a leading zero: octal to some tools
  LIT_BAD_PREFIX,     // a prefix length over 32
  LIT_NO_PREFIX,      // an address without /N
  LIT_HOST_BITS,      // bits set after the prefix
  LIT_BAD_UNIT,       // a unit that is not one of the allowed ones
  LIT_DECIMAL_UNIT,   // MB, GB: refused, see E0106
  LIT_OVERFLOW,       // does not fit in 64 bits
  LIT_SYNTAX,         // not the shape of the literal at all
  LIT_FRACTION,       // 1.5, 1.5s, 1.5 GiB, 2.55%: whole numbers, tenths of a percent
  LIT_NEGATIVE,       // -5s, -1 GiB: durations and sizes have no sign
  LIT_SPACED,         // 30 s: a duration takes no blank before its unit
} LitError;

LitError literal_cidr(Str text, Cidr *out);  // LIT_HOST_BITS: *out is the network
LitError literal_int(Str digits, int64_t *out);
LitError literal_duration(Str number, Str unit, int64_t *ms);
LitError literal_size(Str number, Str unit, int64_t *bytes);
Str literal_cidr_text(Arena *a, Cidr c);
// word is one of the NULL-terminated words (written lowercase), ignoring case.
bool literal_among(Str word, const char *const *words);

// The shape of the literal that starts a text: what the lexer makes a token
// of, and what a values file's plain scalar is read as.
typedef enum {
  LK_NONE,      // no number starts the text
  LK_INT,       // 42, -1; also a fraction (LIT_FRACTION)
  LK_PERCENT,   // 50%, 2.5% (tenths)
  LK_DURATION,  // 30s; also a number glued to a word that is no unit (5x)
  LK_SIZE,      // 512 MiB, 512MiB
  LK_CIDR,      // 10.0.0.0/16
} LitKind;

typedef struct {
  LitKind kind;
  LitError error;   // LIT_OK, or why it is no valid literal of its kind
  ptrdiff_t len;    // its bytes from the start of the text, valid or not
  Str number;       // the digits with their sign (not for LK_CIDR, a fraction)
  Str unit;         // LK_SIZE, LK_DURATION: the unit as written
  bool spaced;      // blanks between the number and the unit (512 MiB, 30 s)
  bool tenths;      // LK_PERCENT: v.i counts tenths of a percent (2.5%: 25)
  union {
    int64_t i;      // LK_INT, LK_PERCENT; LK_SIZE in bytes, LK_DURATION in ms
    Cidr cidr;      // LK_CIDR; with LIT_HOST_BITS, the network
  } v;
} Literal;

// Finds the literal at the start of text and what it means, reporting
// nothing: the lexer words the errors, a values file keeps a text that is
// not exactly one valid literal as a string. A size or duration unit after
// blanks belongs to the number unless "=" or "{" follows it on the line
// ("5 m = 1": m is the next attribute's name).
Literal literal_scan(Str text);

//
// lexer.c
//

typedef enum {
  TK_EOF,
  TK_IDENT,     // letters, digits, _ and -, starting with a letter or _
  TK_STRING,    // "...", decoded into Token.text
  TK_INT,       // 42, -1
  TK_SIZE,      // 512 MiB
  TK_DURATION,  // 30s
  TK_PERCENT,   // 50%
  TK_CIDR,      // 10.0.0.0/16
  TK_LBRACE, TK_RBRACE, TK_LBRACKET, TK_RBRACKET,
  TK_EQ, TK_COMMA, TK_DOT,
  TK_ERROR,     // already reported; the parser skips it silently
} TokenKind;

typedef struct {
  TokenKind kind;
  int32_t start, end;  // byte offsets in the source
  bool line_start;     // first token on its line: a resynchronisation point
  bool blank_before;   // an empty line precedes it (kept by fmt)
  Str text;            // TK_STRING: the decoded value; otherwise the source text
  Str unit;            // TK_SIZE, TK_DURATION: the unit as written
  bool tenths;         // TK_PERCENT: v.i counts tenths of a percent (2.5%: 25)
  union {
    int64_t i;         // TK_INT, TK_PERCENT; TK_SIZE in bytes, TK_DURATION in ms
    Cidr cidr;
  } v;
} Token;

typedef struct {
  int32_t start, end;
  bool own_line;       // nothing but blanks before it on its line
  bool blank_before;
} Comment;

// The lexer hands out one token at a time: the parser keeps three (the
// current one and two of lookahead), so a file's tokens are never all in
// memory (60 MiB of "[" made 3.6 GB of them as an array).
typedef struct {
  Compilation *c;
  Source *src;
  const char *text;
  int32_t len, pos;
  int newlines;        // since the previous token or comment
  bool error_run;      // inside a run of unexpected characters, reported once
  Diag *run_diag;      // its diagnostic, whose span grows with the run
  ptrdiff_t ntokens;   // made so far
  Token tok;           // the one being made
  bool made;
  Comment *comments;   // room for cap_comments of them; NULL: not kept
  ptrdiff_t ncomments, cap_comments;  // ncomments counts them all, kept or not
} Lexer;

void lex_init(Lexer *l, Compilation *c, Source *src, Comment *comments, ptrdiff_t room);
Token lex_next(Lexer *l);            // TK_EOF at the end, as often as asked
ptrdiff_t lex_comments(Compilation *c, Source *src);  // how many: the room to make
// What is wrong with a literal literal_scan found, in the lexer's words, at
// `at` (the literal's text): values.c says it of a value meant as a literal.
void lex_literal_error(Compilation *c, Span at, Str text, Literal lit);

typedef struct {
  Token *tokens;       // in the arena
  ptrdiff_t ntokens;   // the last is TK_EOF
} TokenList;

TokenList lex(Compilation *c, Source *src);  // all at once, for tests
const char *token_kind_name(TokenKind k);

//
// parser.c
//

typedef enum {
  N_BLOCK,     // NAME "label"... { body }
  N_ATTR,      // NAME = value; also a map entry
  N_IMPORT,    // import "path"
  N_STRING, N_INT, N_BOOL, N_SIZE, N_DURATION, N_PERCENT, N_CIDR,
  N_LIST,      // [a, b]
  N_MAP,       // { k = v }
  N_REF,       // kind.name, var.name
} NodeKind;

// Consecutive comments of the source: a slice of the file's one array.
typedef struct CommentList {
  Comment *items;
  ptrdiff_t len;
} CommentList;

typedef struct Node Node;
struct Node {
  NodeKind kind;
  Span span;           // the whole node
  Node *next;          // next sibling: body item, list element, map entry
  Str name;            // N_BLOCK: its type; N_ATTR: the key; N_IMPORT: the path
  Span name_span;
  Node *labels;        // N_BLOCK: N_STRING labels
  Node *body;          // N_BLOCK: items; N_LIST: elements; N_MAP: N_ATTR entries
  Node *value;         // N_ATTR
  Str text;            // literals and keys: the text as written (fmt prints it back)
  Str str;             // N_STRING: the decoded value; N_REF: the whole path
  Str unit;            // N_SIZE, N_DURATION
  bool tenths;         // N_PERCENT: v.i counts tenths of a percent (2.5%: 25);
                       // schema_check.c lets only a `tenths` attribute take one
  Str *parts;          // N_REF: the dotted names
  int nparts;
  union {
    int64_t i;
    bool b;
    Cidr cidr;
  } v;
  CommentList leading;   // comments on the lines above the node
  Comment *trailing;     // a comment after the node on its last line
  CommentList inner;     // N_BLOCK, N_LIST, N_MAP: comments before the closer
  bool blank_before;     // an empty line separates it from what precedes it
  bool blank_after_leading;  // and one separates its leading comments from it
};

typedef struct {
  Source *src;
  Node *items;           // top-level imports and blocks
  CommentList trailing;  // comments after the last item
} File;

File *parse(Compilation *c, Source *src);           // with comments, for fmt
File *parse_code(Compilation *c, Source *src);      // without: what lint needs
const char *node_kind_name(NodeKind k);

//
// schema.c: the language's blocks and attributes, in one table
//

// A service's tasks: ECS's "Tasks per service" quota (5,000 by default) is
// adjustable, and AWS documents no ceiling to a raise, so counts and scaling
// bounds above it are W1123's warning (check.c); MAX_TASKS is ecsc's own
// bound (E0532), which keeps count * percent arithmetic in an int, and
// compose import's for replicas and scale.
#define MAX_TASKS 1000000

typedef enum {
  T_ANY,
  T_STRING,
  T_INT,
  T_BOOL,
  T_SIZE,      // bytes
  T_DURATION,  // milliseconds
  T_PERCENT,
  T_CIDR,
  T_ENUM,      // a string among `choices`
  T_REF,       // KIND.NAME, KIND among `choices`
  T_LIST,      // of `elem`
  T_MAP,       // string keys (among `keys` when set) to `elem`
  T_COMMAND,   // a string (run by a shell) or a list of strings (exec form)
} ValueType;

typedef struct {
  ValueType type;
  ValueType elem;              // T_LIST, T_MAP
  const char *const *choices;  // T_ENUM values, T_REF kinds (NULL-terminated)
} TypeSpec;

// An attribute's default, typed: resolve.c reads it as it reads a value
// written in the file. A default computed from other values ("the service
// name", "size") is resolve.c's or derive.c's to compute: its prose is here,
// for the reference, and its type T_ANY.
typedef struct {
  ValueType type;              // T_ANY: no typed default
  int64_t i;                   // T_INT, T_BOOL, T_SIZE (bytes), T_DURATION (ms), T_PERCENT
  const char *s;               // T_STRING, T_ENUM; T_LIST: its one CIDR block
  const char *prose;           // a computed default, in words
} SchemaDefault;

typedef struct {
  const char *name;
  TypeSpec t;
  bool required;
  SchemaDefault def;
  bool ranged;                 // min..max apply (to the value, or a list's length)
  int64_t min, max;            // in the type's unit: bytes, ms, %, count
  bool each_ranged;            // T_LIST of T_INT: each_min..each_max apply to each element
  int64_t each_min, each_max;
  bool tenths;                 // T_PERCENT in tenths of a percent (2.5%): min, max
                               // and the default count tenths; others take whole %
  const char *pattern;         // PCRE2, for strings and list elements
  const char *pattern_doc;     // the form in words, for the help line
  const char *const *keys;     // T_MAP: the keys allowed, NULL-terminated
  const char *key_pattern;     // T_MAP: the form of every key (PCRE2)
  const char *key_doc;         // that form in words
  DiagCode range_code;         // the rule's own code for an out-of-range value
                               // (E0001, the zero value, means E0306)
  // One block written two ways (a VPC ecsc builds, or one it does not): an
  // attribute of one form is required (when .required) only where the other
  // form's key attribute is absent (unless) or present (only_with).
  // check_network.c refuses the forms mixed (E0990).
  const char *unless, *only_with;
  const char *doc;
} SchemaAttr;

typedef struct SchemaBlock SchemaBlock;
struct SchemaBlock {
  const char *name;
  int labels;                  // 0 or 1
  const char *label_doc;       // what the label names
  bool required, repeatable;
  bool partial;                // a template or override: nothing is required
  bool merged;                 // required settings are checked after merging
  const SchemaAttr *attrs;     // terminated by an entry with a NULL name
  const SchemaBlock *const *blocks;  // NULL-terminated
  const char *doc;
  const char *shares;          // for the reference: "the attributes of `service`"
  // A single block written twice is E0305, unless the block says why it is
  // single with a code of its own (E0001 for none) and a help line.
  DiagCode twice_code;
  const char *twice_help;
};

extern const SchemaBlock schema_file;  // the top level of every file

const SchemaAttr *schema_attr(const SchemaBlock *b, Str name);
const SchemaBlock *schema_block(const SchemaBlock *b, Str name);
bool schema_is_block_name(Str name);    // a block somewhere in the language
bool schema_is_nested_block(Str name);  // one inside another block
const SchemaBlock *schema_path(const char *path);  // "service", "service.health", ...
// The type a `variable`'s `type = "NAME"` declares; T_ANY for no such name.
ValueType schema_variable_type(Str name);
Node *schema_default(Compilation *c, const SchemaAttr *a);  // its typed default as a node, or NULL
Str schema_default_text(Arena *a, const SchemaAttr *attr);  // as one would write it; {0}: none
const char *schema_type_name(TypeSpec t);
Str schema_quantity(Arena *a, ValueType t, int64_t v);  // 300000 ms: "300s"
// The same in the attribute's own unit: tenths of a percent print as 2.5%.
Str schema_attr_quantity(Arena *a, const SchemaAttr *attr, ValueType t, int64_t v);
// A percentage node's value in tenths of a percent, whole or not (5%: 50).
int64_t schema_percent_tenths(const Node *n);
void schema_markdown(Buf *out);

//
// schema_check.c
//

void schema_check(Compilation *c, File *f);
// Checks one value against an attribute (used for var.NAME values).
void schema_check_value(Compilation *c, const SchemaAttr *a, Node *value);

//
// imports.c
//

// Loads the root file and everything it imports, depth first. Returns the
// files in load order, root first; *n is their number.
File **imports_load(Compilation *c, Source *root, ptrdiff_t *n);

//
// fmt.c
//

Str fmt_file(Compilation *c, File *f);

#endif
