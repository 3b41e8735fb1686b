// parser.c: recursive descent from tokens to the syntax tree.
//
// The grammar is deliberately uniform, as HCL's is: a file is imports and
// blocks, a block body is attributes and blocks, and which names are allowed
// where is the schema's business (schema.c), not the parser's. Each function
// below reads the grammar rule written above it (grammar/ecsc.ebnf has them all).
//
// Errors do not stop the parse. An item that fails is skipped up to the next
// line that starts a new item at the same depth, or the closing brace of its
// block, so one mistake gives one diagnostic and the rest of the file is still
// checked. Comments are attached to the nodes around them so fmt can put every
// one of them back.
#include "syntax.h"

#include <string.h>

typedef struct {
  Compilation *c;
  Source *src;
  Lexer lx;
  Token ahead[3];       // the current token (ahead[0], *tok) and two of lookahead
  int nahead;           // how many of ahead are lexed
  Token *tok;           // &ahead[0]
  Token prev;           // the token consumed last
  Comment *next_comment;  // the first comment not yet attached to a node
  int depth;            // blocks, lists and maps open around the current token
  char groups[MAX_NESTING + 1];  // the "[" and "{" of the lists and maps open
  int ngroups;          // (recovery closes only what matches)
  bool eof_reported;    // only the innermost unclosed block is reported
  bool full;            // past MAX_NODES: the rest of the file reads as its end
  Token misfit_open;    // the "{" of the first block closed by a "}" indented
  Token misfit_close;   // less than the block's header, and that "}"
  bool misfit;
} Parser;

static Span tok_span(Parser *p, Token *t) {
  return (Span){p->src, t->start, t->end};
}

// The end of the file, where it ends, or where the parser stopped reading.
static Token end_token(Parser *p) {
  return (Token){.kind = TK_EOF, .start = p->lx.pos, .end = p->lx.pos, .line_start = true};
}

// Lexes until ahead holds n tokens.
static void fill(Parser *p, int n) {
  while (p->nahead < n)
    p->ahead[p->nahead++] = p->full ? end_token(p) : lex_next(&p->lx);
}

static bool at(Parser *p, TokenKind k) {
  return p->tok->kind == k;
}

static bool at_ident(Parser *p, const char *name) {
  return at(p, TK_IDENT) && str_eq_c(p->tok->text, name);
}

// Consumes the current token and returns it; at the end, stays there.
static Token next(Parser *p) {
  Token t = p->ahead[0];
  if (t.kind == TK_EOF)
    return t;
  p->prev = t;
  p->ahead[0] = p->ahead[1];
  p->ahead[1] = p->ahead[2];
  p->nahead--;
  fill(p, 1);
  return t;
}

// The token `ahead` places after the current one (at most 2); valid until
// the next call of next().
static Token *peek(Parser *p, int ahead) {
  fill(p, ahead + 1);
  for (int i = 1; i <= ahead; i++)
    if (p->ahead[i - 1].kind == TK_EOF)
      return &p->ahead[i - 1];
  return &p->ahead[ahead];
}

// "found X" for messages: the token's text when short, else its kind.
static const char *found(Parser *p, Token *t) {
  switch (t->kind) {
  case TK_IDENT:
  case TK_INT:
  case TK_SIZE:
  case TK_DURATION:
  case TK_PERCENT:
  case TK_CIDR:
    if (t->end - t->start <= 32)
      return str_fmt(&p->c->arena, "\"%.*s\"", (int)(t->end - t->start),
                     p->src->text.ptr + t->start).ptr;
    return token_kind_name(t->kind);
  case TK_STRING:
    return "a string";
  default:
    return token_kind_name(t->kind);
  }
}

// Reports "expected X, found Y" at the current token, unless the token is an
// error the lexer already reported.
static void expected(Parser *p, const char *what) {
  if (at(p, TK_ERROR))
    return;
  if (at(p, TK_EOF) && p->eof_reported)
    return;
  diag_at(p->c, E0201, tok_span(p, p->tok), "expected %s, found %s", what, found(p, p->tok));
}

// Every node counts toward MAX_NODES: past it, the file is reported once and
// the parser reads the rest of it as its end (base.h says why the limit).
static void too_many_nodes(Parser *p, Token *t) {
  Diag *d = diag_at(p->c, E0206, tok_span(p, t), "more than %d values, attributes and blocks: "
                    "the rest of the file is not read", MAX_NODES);
  diag_help(p->c, d, "split the configuration into files and import them, or generate less: a "
                     "platform of 10 environments and 1,000 services has about 100,000");
  p->full = true;
  p->eof_reported = true;  // no "unclosed" for what was cut off
  for (int i = 0; i < p->nahead; i++)
    p->ahead[i] = end_token(p);
}

static Node *node(Parser *p, NodeKind kind, Token *t) {
  if (++p->c->nodes == MAX_NODES + 1)
    too_many_nodes(p, t);
  Node *n = new(&p->c->arena, Node, 1);
  n->kind = kind;
  n->span = tok_span(p, t);
  n->text = t->text;
  n->blank_before = t->blank_before;
  return n;
}

// Whether a list, map or block has room for one more item (MAX_ITEMS): the
// first past it is reported, and it and the rest are read but not kept.
static bool room(Parser *p, int *count, Node *item, const char *what) {
  if (++*count == MAX_ITEMS + 1) {
    Diag *d = diag_at(p->c, E0208, item->span, "more than %d %s", MAX_ITEMS, what);
    diag_help(p->c, d, "real configurations hold a few dozen; generate fewer, or split them");
  }
  return *count <= MAX_ITEMS;
}

//
// Comments
//

// The comments lexed so far (none when they are not kept).
static Comment *comments_end(Parser *p) {
  Lexer *l = &p->lx;
  return l->comments ? l->comments + (l->ncomments < l->cap_comments ? l->ncomments : l->cap_comments)
                     : NULL;
}

// Takes the comments that start before `offset` into `list`.
static void comments_before(Parser *p, CommentList *list, int32_t offset) {
  Comment *end = comments_end(p);
  if (!list->len)
    list->items = p->next_comment;
  while (p->next_comment < end && p->next_comment->start < offset) {
    p->next_comment++;
    list->len++;
  }
}

// The comments above an item, taken before the item is parsed (its insides
// take their own). The item's blank_before is that of the first of them, so
// fmt keeps a blank line above a commented item.
static CommentList take_leading(Parser *p) {
  CommentList list = {0};
  comments_before(p, &list, p->tok->start);
  return list;
}

static void set_leading(Node *n, CommentList list, bool blank_before) {
  n->leading = list;
  n->blank_before = list.len ? list.items[0].blank_before : blank_before;
  n->blank_after_leading = list.len && blank_before;
}

// A comment after the node on the line where it ends stays there.
static void trailing(Parser *p, Node *n) {
  Comment *cm = p->next_comment;
  if (cm >= comments_end(p) || cm->own_line || cm->start > p->tok->start)
    return;  // none, or it follows a later token: "[a] # c" belongs to the list
  const char *text = p->src->text.ptr;
  for (int32_t i = n->span.end; i < cm->start; i++)
    if (text[i] == '\n')
      return;
  n->trailing = cm;
  p->next_comment++;
}

//
// Recovery
//

// Skips the rest of a failed item: up to the next line that starts a new
// item at this depth, or up to (not past) the "}" that closes the body.
// `open` holds the brackets of the lists and maps the item left open: a
// closer that matches one closes it; a "}" that matches none is the body's.
// A new line inside an open list is the next item (lists hold no names);
// inside an open map it is the map's next entry.
static void sync_item(Parser *p, const char *open, int nopen) {
  int depth = 0;
  for (; !at(p, TK_EOF); next(p)) {
    TokenKind k = p->tok->kind;
    bool in_map = nopen > 0 && open[nopen - 1] == '{';
    if (depth == 0 && !in_map && p->tok->line_start && k == TK_IDENT)
      return;
    if (k == TK_LBRACE || k == TK_LBRACKET) {
      depth++;
    } else if (k == TK_RBRACE || k == TK_RBRACKET) {
      char want = k == TK_RBRACE ? '{' : '[';
      if (depth > 0)
        depth--;
      else if (nopen > 0 && open[nopen - 1] == want)
        nopen--;
      else if (k == TK_RBRACE)
        return;
      // else a stray "]": skipped
    }
  }
}

// Skips a whole bracketed group without recursion: used past the depth limit,
// where recursing is exactly what must not happen.
static void skip_group(Parser *p) {
  int depth = 0;
  do {
    TokenKind k = next(p).kind;
    if (k == TK_LBRACE || k == TK_LBRACKET)
      depth++;
    else if (k == TK_RBRACE || k == TK_RBRACKET)
      depth--;
  } while (depth > 0 && !at(p, TK_EOF));
}

static bool enter(Parser *p) {
  if (p->depth >= MAX_NESTING) {
    Diag *d = diag_at(p->c, E0204, tok_span(p, p->tok), "nesting too deep (more than %d levels)",
                      MAX_NESTING);
    diag_help(p->c, d, "flatten the structure: real configurations nest a few levels");
    skip_group(p);
    return false;
  }
  p->depth++;
  return true;
}

// The blanks before a token that starts its line (-1 for one that does not):
// where the braces do not balance, indentation says which block lacks its
// "}". Only blanks are walked, so all calls together read the file once.
static int indent(Parser *p, Token *t) {
  const char *text = p->src->text.ptr;
  int32_t i = t->start, from = p->src->text.len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
  if (!t->line_start)
    return -1;
  while (i > from && (text[i - 1] == ' ' || text[i - 1] == '\t'))
    i--;
  return i == from || text[i - 1] == '\n' ? (int)(t->start - i) : -1;
}

// A block whose "}" is indented less than its header may well be missing its
// own "}" and have taken its parent's: remembered (the first such), in case
// the braces turn out not to balance.
static void closed_block(Parser *p, Token *header, Token *open) {
  int head = indent(p, header), close = indent(p, p->tok);
  if (p->misfit || head < 0 || close < 0 || close >= head)
    return;
  p->misfit = true;
  p->misfit_open = *open;
  p->misfit_close = *p->tok;
}

// A block is unclosed. When the braces do not balance, the block that lacks
// its "}" is most likely one inside it whose "}" sat at its parent's
// indentation: that one is reported, at its own "{".
static bool misfit_inside(Parser *p, Token *open) {
  if (!p->misfit || open->kind != TK_LBRACE || p->misfit_open.start <= open->start)
    return false;
  Diag *d = diag_at(p->c, E0203, tok_span(p, &p->misfit_open), "unclosed block");
  diag_help(p->c, d, "add its \"}\": the \"}\" on line %d is indented as the enclosing block's, "
            "so it belongs to that block",
            source_linecol(&p->c->arena, p->src, p->misfit_close.start).line);
  p->misfit = false;
  return true;
}

static void unclosed(Parser *p, Token *open, const char *what) {
  if (at(p, TK_EOF)) {
    if (p->eof_reported)
      return;
    p->eof_reported = true;
  }
  if (misfit_inside(p, open))
    return;
  Diag *d = diag_at(p->c, E0203, tok_span(p, open), "unclosed %s", what);
  char closer = open->kind == TK_LBRACE ? '}' : ']';
  if (at(p, TK_EOF))
    diag_help(p->c, d, "add the closing \"%c\" before the end of the file", closer);
  else
    diag_help(p->c, d, "add the closing \"%c\" before %s on line %d", closer, found(p, p->tok),
              source_linecol(&p->c->arena, p->src, p->tok->start).line);
}

//
// Values
//

static Node *value(Parser *p);
static bool at_item_start(Parser *p);

// reference = NAME { "." NAME } ;
static Node *reference(Parser *p) {
  Token first = next(p);
  Node *n = node(p, N_REF, &first);
  Str local[4], *parts = local;
  int count = 0, cap = countof(local);
  parts[count++] = first.text;
  while (at(p, TK_DOT) && peek(p, 1)->kind == TK_IDENT && !p->full) {
    next(p);  // the dot
    if (count == cap) {  // a long path: each part counts as a node
      Str *grown = new(&p->c->arena, Str, 2 * cap);
      memcpy(grown, parts, sizeof(Str) * (size_t)count);
      parts = grown;
      cap *= 2;
    }
    Token part = next(p);
    p->c->nodes++;
    parts[count++] = part.text;
  }
  n->parts = parts == local ? new(&p->c->arena, Str, count) : parts;
  if (parts == local)
    memcpy(n->parts, local, sizeof(Str) * (size_t)count);
  n->nparts = count;
  n->span.end = p->prev.end;
  // The path as the names joined by dots: the source may put blanks, lines
  // or comments between them ("cluster\n.main"), which messages must not
  // quote, and fmt does not keep (found by fuzz_fmt).
  n->str = (Str){p->src->text.ptr + n->span.start, n->span.end - n->span.start};
  ptrdiff_t len = count - 1;
  for (int i = 0; i < count; i++)
    len += parts[i].len;
  if (len != n->str.len) {
    Buf b = {.arena = &p->c->arena};
    for (int i = 0; i < count; i++) {
      if (i)
        buf_putc(&b, '.');
      buf_put(&b, parts[i]);
    }
    n->str = buf_str(&b);
  }
  n->text = n->str;
  if (at(p, TK_DOT)) {
    diag_at(p->c, E0201, tok_span(p, p->tok), "expected a name after \".\", found %s",
            found(p, peek(p, 1)));
    next(p);
    return NULL;
  }
  return n;
}

// Opens a list or a map: its bracket counts toward the nesting limit and
// toward what recovery must skip if an error strikes inside.
static Node *open_group(Parser *p, NodeKind kind) {
  if (!enter(p))
    return NULL;
  Token open = next(p);
  p->groups[p->ngroups++] = kind == N_LIST ? '[' : '{';
  return node(p, kind, &open);
}

static Node *close_group(Parser *p, Node *n) {
  comments_before(p, &n->inner, p->tok->start);
  n->span.end = next(p).end;
  p->ngroups--;
  p->depth--;
  return n;
}

// list = "[" [ value { "," value } [ "," ] ] "]" ;
static Node *list(Parser *p) {
  Token open = *p->tok;
  Node *n = open_group(p, N_LIST);
  if (!n)
    return NULL;
  Node **tail = &n->body;
  int count = 0;
  while (!at(p, TK_RBRACKET)) {
    if (at(p, TK_EOF) || at(p, TK_RBRACE) || at_item_start(p)) {
      // "[1, 2" then "}" or the next attribute: the "]" is missing.
      unclosed(p, &open, "list");
      return NULL;
    }
    bool blank = p->tok->blank_before;
    CommentList above = take_leading(p);
    Node *item = value(p);
    if (!item)
      return NULL;
    set_leading(item, above, blank);
    if (at(p, TK_COMMA)) {
      next(p);
    } else if (at(p, TK_RBRACE) || at_item_start(p)) {
      unclosed(p, &open, "list");
      return NULL;
    } else if (!at(p, TK_RBRACKET)) {
      expected(p, "\",\" or \"]\"");
      return NULL;
    }
    trailing(p, item);
    if (room(p, &count, item, "elements in a list")) {
      *tail = item;
      tail = &item->next;
    }
  }
  return close_group(p, n);
}

// map = "{" { ( NAME | STRING ) "=" value [ "," ] } "}" ;
static Node *map(Parser *p) {
  Token open = *p->tok;
  Node *n = open_group(p, N_MAP);
  if (!n)
    return NULL;
  Node **tail = &n->body;
  int count = 0;
  while (!at(p, TK_RBRACE)) {
    if (at(p, TK_EOF)) {
      unclosed(p, &open, "map");
      return NULL;
    }
    if (!at(p, TK_IDENT) && !at(p, TK_STRING)) {
      expected(p, "a key or \"}\"");
      return NULL;
    }
    CommentList above = take_leading(p);
    Token key = next(p);
    Node *entry = node(p, N_ATTR, &key);
    entry->name = key.text;
    entry->name_span = entry->span;
    entry->text = (Str){p->src->text.ptr + key.start, key.end - key.start};  // as written
    set_leading(entry, above, key.blank_before);
    if (!at(p, TK_EQ)) {
      expected(p, "\"=\" after the key");
      return NULL;
    }
    next(p);
    entry->value = value(p);
    if (!entry->value)
      return NULL;
    entry->span.end = entry->value->span.end;
    if (at(p, TK_COMMA))
      next(p);
    trailing(p, entry);
    if (room(p, &count, entry, "entries in a map")) {
      *tail = entry;
      tail = &entry->next;
    }
  }
  return close_group(p, n);
}

static Node *literal(Parser *p, NodeKind kind) {
  Token t = next(p);
  Node *n = node(p, kind, &t);
  n->text = (Str){p->src->text.ptr + t.start, t.end - t.start};
  n->str = t.text;
  n->unit = t.unit;
  n->tenths = t.tenths;
  if (kind == N_CIDR)
    n->v.cidr = t.v.cidr;
  else
    n->v.i = t.v.i;
  return n;
}

// value = STRING | INT | SIZE | DURATION | PERCENT | CIDR | "true" | "false"
//       | list | map | reference ;
static Node *value(Parser *p) {
  switch (p->tok->kind) {
  case TK_STRING: return literal(p, N_STRING);
  case TK_INT: return literal(p, N_INT);
  case TK_SIZE: return literal(p, N_SIZE);
  case TK_DURATION: return literal(p, N_DURATION);
  case TK_PERCENT: return literal(p, N_PERCENT);
  case TK_CIDR: return literal(p, N_CIDR);
  case TK_LBRACKET: return list(p);
  case TK_LBRACE: return map(p);
  case TK_IDENT:
    if (at_ident(p, "true") || at_ident(p, "false")) {
      Node *n = node(p, N_BOOL, p->tok);
      n->v.b = at_ident(p, "true");
      next(p);
      return n;
    }
    return reference(p);
  case TK_ERROR:
    next(p);  // reported by the lexer
    return NULL;
  default:
    expected(p, "a value");
    return NULL;
  }
}

//
// Declarations
//

static Node *body_items(Parser *p, bool top);

// Does the current token start the next item ("name =", "name {", "name "l"")?
static bool at_item_start(Parser *p) {
  TokenKind after = peek(p, 1)->kind;
  return at(p, TK_IDENT) && p->tok->line_start &&
         (after == TK_EQ || after == TK_LBRACE || after == TK_STRING);
}

// attribute = NAME "=" value ;
static Node *attribute(Parser *p) {
  Token name = next(p);
  Node *n = node(p, N_ATTR, &name);
  n->name = name.text;
  n->name_span = n->span;
  n->text = name.text;
  Token eq = next(p);
  if (at_item_start(p) || at(p, TK_RBRACE) || at(p, TK_EOF)) {
    // "count =" with nothing after it: say so here, not on the next line.
    const char *what = at(p, TK_EOF)       ? "end of file"
                       : p->tok->line_start ? "end of line"
                                            : found(p, p->tok);
    if (!at(p, TK_EOF) || !p->eof_reported)
      diag_at(p->c, E0201, tok_span(p, &eq), "expected a value after \"=\", found %s", what);
    return NULL;
  }
  n->value = value(p);
  if (!n->value)
    return NULL;
  n->span.end = n->value->span.end;
  return n;
}

// labels = { STRING } ; a bare name is reported, then read as if quoted.
static void labels(Parser *p, Node *n) {
  Node **tail = &n->labels;
  while (at(p, TK_STRING) || (at(p, TK_IDENT) && peek(p, 1)->kind == TK_LBRACE)) {
    if (at(p, TK_IDENT)) {
      Diag *d = diag_at(p->c, E0205, tok_span(p, p->tok), "block label must be a string");
      diag_help(p->c, d, "write \"%.*s\"", S(p->tok->text));
    }
    Token t = next(p);
    Node *label = node(p, N_STRING, &t);
    label->str = t.text;
    label->text = (Str){p->src->text.ptr + t.start, t.end - t.start};
    *tail = label;
    tail = &label->next;
  }
}

// block = NAME { STRING } "{" body "}" ;
static Node *block(Parser *p) {
  Token name = next(p);
  Node *n = node(p, N_BLOCK, &name);
  n->name = name.text;
  n->name_span = n->span;
  labels(p, n);
  bool assumed = false;
  if (!at(p, TK_LBRACE)) {
    // A label the lexer refused, or a header that ends its line without "{":
    // report once and read on as if the brace were there, so the body's own
    // "}" does not come back as unmatched.
    if (at(p, TK_ERROR)) {
      next(p);
    } else if (p->tok->line_start || at(p, TK_EOF)) {
      Str label = n->labels ? n->labels->text : STR("");  // the header ends its line: say so there
      diag_at(p->c, E0201, tok_span(p, &p->prev), "expected \"{\" after %.*s%s%.*s, found end of line",
              S(n->name), n->labels ? " " : "", S(label));
    } else {
      expected(p, "\"{\"");
    }
    if (!p->tok->line_start && !at(p, TK_EOF))
      return NULL;
    assumed = true;
  }
  Token open = *p->tok;
  if (!enter(p))
    return n;
  if (!assumed)
    next(p);
  n->body = body_items(p, false);
  comments_before(p, &n->inner, p->tok->start);
  if (at(p, TK_EOF) || !at(p, TK_RBRACE)) {
    if (!assumed)
      unclosed(p, &open, "block");
    n->span.end = p->tok->start;
  } else {
    closed_block(p, &name, &open);
    n->span.end = next(p).end;
  }
  p->depth--;
  return n;
}

// import = "import" STRING ;
static Node *import(Parser *p, bool top) {
  Token kw = next(p);
  Node *n = node(p, N_IMPORT, &kw);
  if (!at(p, TK_STRING)) {
    expected(p, "a file name in quotes after import");
    return NULL;
  }
  Token path = next(p);
  n->name = path.text;
  n->name_span = tok_span(p, &path);
  n->text = (Str){p->src->text.ptr + path.start, path.end - path.start};
  n->span.end = path.end;
  if (!top) {
    Diag *d = diag_at(p->c, E0007, n->span, "import inside a block");
    diag_help(p->c, d, "move the import to the top level of the file");
    return NULL;
  }
  return n;
}

// `bucket "name"` followed by anything but "{" or another label is an
// attribute that lost its "=", unless the name is one of the language's
// blocks (`service "web"` then a new line lost its "{"). The schema is
// consulted only for this guess; which names go where is its business.
static bool missing_equals(Parser *p, bool top) {
  Token *t = peek(p, 2);
  if (top || schema_is_block_name(p->tok->text))
    return false;
  return t->kind != TK_LBRACE && t->kind != TK_STRING && t->kind != TK_ERROR &&
         (t->line_start || t->kind == TK_EOF || t->kind == TK_RBRACE);
}

static Node *attribute_without_equals(Parser *p) {
  Token name = next(p);
  diag_at(p->c, E0201, tok_span(p, p->tok), "expected \"=\" after \"%.*s\"", S(name.text));
  Node *n = node(p, N_ATTR, &name);
  n->name = name.text;
  n->name_span = n->span;
  n->text = name.text;
  n->value = value(p);
  n->span.end = n->value->span.end;
  return n;
}

// item = import | attribute | block ;
static Node *item(Parser *p, bool top) {
  if (at(p, TK_IDENT)) {
    TokenKind after = peek(p, 1)->kind;
    if (at_ident(p, "import") && (after == TK_STRING || top))
      return import(p, top);
    if (after == TK_EQ)
      return attribute(p);
    if (after == TK_STRING && missing_equals(p, top))
      return attribute_without_equals(p);
    if (after == TK_LBRACE || after == TK_STRING || after == TK_ERROR ||
        (after == TK_IDENT && peek(p, 2)->kind == TK_LBRACE))
      return block(p);
    // "count 2": the "=" is missing before the 2; "true false": "false" is
    // a name with nothing after it on its line.
    Token name = next(p);
    if (!p->tok->line_start && !at(p, TK_EOF))
      expected(p, str_fmt(&p->c->arena, "\"=\" or \"{\" after \"%.*s\"", S(name.text)).ptr);
    else
      diag_at(p->c, E0201, tok_span(p, &name), "expected \"=\" or \"{\" after \"%.*s\", found end of line",
              S(name.text));
    return NULL;
  }
  if (at(p, TK_ERROR)) {
    next(p);
    return NULL;
  }
  if (at(p, TK_RBRACKET) || (top && at(p, TK_RBRACE))) {
    Diag *d = diag_at(p->c, E0202, tok_span(p, p->tok), "unmatched \"%c\"",
                      at(p, TK_RBRACE) ? '}' : ']');
    diag_help(p->c, d, "remove it, or add the opening bracket it was meant to close");
    next(p);
    return NULL;
  }
  expected(p, top ? "a declaration such as service \"NAME\" { ... }" : "an attribute or a block");
  next(p);
  return NULL;
}

// A top-level declaration ("service "web" {") met inside a block, at the
// start of a line or after a "}" on it: the block above it was never closed
// (no such block is ever nested). Reading on would nest the whole rest of the
// file inside it. Wherever it stands on its line: fmt puts it at a line's
// start, and what fmt prints must parse as what it read.
static bool at_declaration(Parser *p) {
  return at(p, TK_IDENT) && peek(p, 1)->kind == TK_STRING &&
         schema_block(&schema_file, p->tok->text) && !schema_is_nested_block(p->tok->text);
}

// body = { item } ;  ends at "}" (or the end of the file, at the top level)
static Node *body_items(Parser *p, bool top) {
  Node *head = NULL, **tail = &head;
  int count = 0;
  while (!at(p, TK_EOF) && (top || !at(p, TK_RBRACE))) {
    if (!top && at_declaration(p))
      break;  // this block lacks its "}": block() reports it
    int mark = p->ngroups;
    bool blank = p->tok->blank_before;
    CommentList above = take_leading(p);
    Node *n = item(p, top);
    if (!n) {
      int open = p->ngroups - mark;
      p->ngroups = mark;
      p->depth -= open;
      sync_item(p, p->groups + mark, open);
      continue;
    }
    set_leading(n, above, blank);
    trailing(p, n);
    if (top || room(p, &count, n, "attributes and blocks in a block")) {
      *tail = n;
      tail = &n->next;
    }
  }
  return head;
}

// The tree of src. Comments are kept (for fmt) in one array made to measure:
// lex_comments counts them first, so a file of comments costs 12 bytes a
// comment, where a growing array would leave its outgrown copies behind.
static File *parse_file(Compilation *c, Source *src, bool keep_comments) {
  Parser p = {.c = c, .src = src};
  ptrdiff_t room = keep_comments ? lex_comments(c, src) : 0;
  Comment *comments = room ? new(&c->arena, Comment, room) : NULL;
  lex_init(&p.lx, c, src, comments, room);
  p.next_comment = comments;
  p.tok = &p.ahead[0];
  fill(&p, 1);
  File *f = new(&c->arena, File, 1);
  f->src = src;
  f->items = body_items(&p, true);
  comments_before(&p, &f->trailing, INT32_MAX);
  return f;
}

File *parse(Compilation *c, Source *src) {
  return parse_file(c, src, true);
}

File *parse_code(Compilation *c, Source *src) {
  return parse_file(c, src, false);
}

const char *node_kind_name(NodeKind k) {
  static const char *const names[] = {
      [N_BLOCK] = "block",      [N_ATTR] = "attribute",   [N_IMPORT] = "import",
      [N_STRING] = "string",    [N_INT] = "integer",      [N_BOOL] = "boolean",
      [N_SIZE] = "size",        [N_DURATION] = "duration", [N_PERCENT] = "percentage",
      [N_CIDR] = "CIDR block",  [N_LIST] = "list",        [N_MAP] = "map",
      [N_REF] = "reference",
  };
  return names[k];
}
