// fmt.c: prints a syntax tree back in the one canonical layout: two-space
// indents, one item per line, "=" aligned within a run of attributes (as
// terraform fmt does), a list on one line when it fits in 100 columns, maps
// and blocks opened over several lines, at most one blank line in a row, and
// every comment where it was. Printing its own output gives the same output.
#include "syntax.h"

#include <string.h>

enum { WIDTH = 100 };

typedef struct {
  Source *src;
  Buf out;
} Fmt;

static void fmt_indent(Fmt *f, int depth) {
  buf_pad(&f->out, ' ', 2 * depth);
}

// Characters since the last newline (not bytes: widths are counted as
// key_width counts them).
static ptrdiff_t column(Fmt *f) {
  ptrdiff_t i = f->out.len, col = 0;
  while (i > 0 && f->out.ptr[i - 1] != '\n')
    col += (f->out.ptr[--i] & 0xC0) != 0x80;
  return col;
}

static ptrdiff_t width_of(Str s) {
  ptrdiff_t w = 0;
  for (ptrdiff_t i = 0; i < s.len; i++)
    w += (s.ptr[i] & 0xC0) != 0x80;
  return w;
}

static void fmt_comment(Fmt *f, Comment *cm) {
  buf_put(&f->out, (Str){f->src->text.ptr + cm->start, cm->end - cm->start});
}

// Comments on lines of their own, keeping one blank line where there was one.
static void comment_lines(Fmt *f, CommentList list, int depth) {
  for (ptrdiff_t i = 0; i < list.len; i++) {
    if (i > 0 && list.items[i].blank_before)
      buf_putc(&f->out, '\n');
    fmt_indent(f, depth);
    fmt_comment(f, &list.items[i]);
    buf_putc(&f->out, '\n');
  }
}

static bool has_comments(Node *n) {
  return n->leading.len || n->trailing || n->inner.len;
}

static void fmt_value(Fmt *f, Node *v, int depth);

// A list prints on one line when nothing in it carries a comment or needs
// lines of its own, and the line stays within WIDTH.
static bool flat(Node *v) {
  if (v->kind == N_MAP)  // maps always open over lines
    return false;
  if (v->kind != N_LIST)
    return true;
  if (v->inner.len)
    return false;
  for (Node *e = v->body; e; e = e->next)
    if (has_comments(e) || !flat(e))
      return false;
  return true;
}

static void flat_list(Fmt *f, Node *v) {
  buf_putc(&f->out, '[');
  for (Node *e = v->body; e; e = e->next) {
    fmt_value(f, e, 0);
    if (e->next)
      buf_puts(&f->out, ", ");
  }
  buf_putc(&f->out, ']');
}

static void close_line(Fmt *f, Node *n) {
  if (n->trailing) {
    buf_putc(&f->out, ' ');
    fmt_comment(f, n->trailing);
  }
  buf_putc(&f->out, '\n');
}

static void fmt_list(Fmt *f, Node *v, int depth) {
  if (!v->body && !v->inner.len) {
    buf_puts(&f->out, "[]");
    return;
  }
  if (flat(v)) {
    ptrdiff_t mark = f->out.len, col = column(f);
    flat_list(f, v);
    if (col + width_of((Str){f->out.ptr + mark, f->out.len - mark}) <= WIDTH)
      return;
    f->out.len = mark;
  }
  buf_puts(&f->out, "[\n");
  for (Node *e = v->body; e; e = e->next) {
    if (e->blank_before && e != v->body)
      buf_putc(&f->out, '\n');
    comment_lines(f, e->leading, depth + 1);
    fmt_indent(f, depth + 1);
    fmt_value(f, e, depth + 1);
    buf_putc(&f->out, ',');
    close_line(f, e);
  }
  comment_lines(f, v->inner, depth + 1);
  fmt_indent(f, depth);
  buf_putc(&f->out, ']');
}

static void items(Fmt *f, Node *first, int depth, bool top);

static void fmt_map(Fmt *f, Node *v, int depth) {
  if (!v->body && !v->inner.len) {
    buf_puts(&f->out, "{}");
    return;
  }
  buf_puts(&f->out, "{\n");
  items(f, v->body, depth + 1, false);
  comment_lines(f, v->inner, depth + 1);
  fmt_indent(f, depth);
  buf_putc(&f->out, '}');
}

static void fmt_value(Fmt *f, Node *v, int depth) {
  switch (v->kind) {
  case N_SIZE: {
    ptrdiff_t digits = 0;
    while (digits < v->text.len && v->text.ptr[digits] >= '0' && v->text.ptr[digits] <= '9')
      digits++;
    buf_printf(&f->out, "%.*s %.*s", (int)digits, v->text.ptr, S(v->unit));
    break;
  }
  case N_BOOL: buf_puts(&f->out, v->v.b ? "true" : "false"); break;
  case N_LIST: fmt_list(f, v, depth); break;
  case N_MAP: fmt_map(f, v, depth); break;
  case N_REF:
    for (int i = 0; i < v->nparts; i++) {
      if (i)
        buf_putc(&f->out, '.');
      buf_put(&f->out, v->parts[i]);
    }
    break;
  default: buf_put(&f->out, v->text); break;
  }
}

// Keys print as written; their width counts characters, not bytes, so "="
// lines up after a non-ASCII key.
static ptrdiff_t key_width(Node *n) {
  ptrdiff_t w = 0;
  for (ptrdiff_t i = 0; i < n->text.len; i++)
    w += (n->text.ptr[i] & 0xC0) != 0x80;
  return w;
}

// Does the attribute's value take several lines? Maps and blocks always do;
// a list does when it holds comments or does not fit on the line.
static bool multiline(Fmt *f, Node *n, int depth) {
  Node *v = n->value;
  if (v->kind == N_MAP)
    return v->body || v->inner.len;
  if (v->kind != N_LIST)
    return false;
  if (!flat(v))
    return true;
  ptrdiff_t mark = f->out.len;
  flat_list(f, v);
  ptrdiff_t len = width_of((Str){f->out.ptr + mark, f->out.len - mark});
  f->out.len = mark;
  return 2 * depth + key_width(n) + 3 + len > WIDTH;
}

static bool in_run(Fmt *f, Node *n, int depth) {
  return n && n->kind == N_ATTR && !multiline(f, n, depth);
}

// Single-line attributes align their "=" with those right above and below
// them; a blank line, a comment line, a block or a value over several lines
// ends the run (as terraform fmt does).
static ptrdiff_t run_width(Fmt *f, Node *n, int depth) {
  ptrdiff_t width = key_width(n);
  if (!in_run(f, n, depth))
    return width;
  for (Node *m = n->next; in_run(f, m, depth) && !m->blank_before && !m->leading.len; m = m->next)
    if (key_width(m) > width)
      width = key_width(m);
  return width;
}

static void fmt_block(Fmt *f, Node *n, int depth) {
  buf_put(&f->out, n->name);
  for (Node *l = n->labels; l; l = l->next) {
    buf_putc(&f->out, ' ');
    buf_put(&f->out, l->text);
  }
  if (!n->body && !n->inner.len) {
    buf_puts(&f->out, " {}");
    return;
  }
  buf_puts(&f->out, " {\n");
  items(f, n->body, depth + 1, false);
  comment_lines(f, n->inner, depth + 1);
  fmt_indent(f, depth);
  buf_putc(&f->out, '}');
}

static void items(Fmt *f, Node *first, int depth, bool top) {
  ptrdiff_t width = 0;
  Node *prev = NULL;
  for (Node *n = first; n; prev = n, n = n->next) {
    bool starts_run = !in_run(f, prev, depth) || !in_run(f, n, depth) || n->blank_before ||
                      n->leading.len;
    if (n->kind == N_ATTR && starts_run)
      width = run_width(f, n, depth);
    bool blank = n->blank_before ||
                 (top && prev && (n->kind == N_BLOCK || prev->kind == N_BLOCK));
    if (prev && blank)
      buf_putc(&f->out, '\n');
    comment_lines(f, n->leading, depth);
    if (n->blank_after_leading)
      buf_putc(&f->out, '\n');
    fmt_indent(f, depth);
    switch (n->kind) {
    case N_IMPORT:
      buf_puts(&f->out, "import ");
      buf_put(&f->out, n->text);
      break;
    case N_BLOCK:
      fmt_block(f, n, depth);
      break;
    default:
      buf_put(&f->out, n->text);
      buf_pad(&f->out, ' ', width - key_width(n));
      buf_puts(&f->out, " = ");
      fmt_value(f, n->value, depth);
      break;
    }
    close_line(f, n);
  }
}

Str fmt_file(Compilation *c, File *file) {
  Fmt f = {.src = file->src, .out = {.arena = &c->arena}};
  items(&f, file->items, 0, true);
  if (file->trailing.len && file->items && file->trailing.items[0].blank_before)
    buf_putc(&f.out, '\n');
  comment_lines(&f, file->trailing, 0);
  return buf_str(&f.out);
}
