// emit.c: the output tree: every file a build writes, from the model, in a
// fixed order, so the same input gives the same bytes everywhere.
#include "emit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void add(Compilation *c, OutTree *t, Str path, OutKind kind, void *of, Str data) {
  if (t->n == t->cap) {
    int cap = t->cap ? 2 * t->cap : 64;
    OutFile *grown = new(&c->arena, OutFile, cap);
    if (t->n)
      memcpy(grown, t->files, sizeof(OutFile) * (size_t)t->n);
    t->files = grown;
    t->cap = cap;
  }
  t->files[t->n++] = (OutFile){path, kind, of, data};
}

void out_add(Compilation *c, OutTree *t, Str path, Str data) {
  add(c, t, path, OUT_BYTES, NULL, data);
}

bool out_failed(Compilation *c) {
  if (!c->bad_read[0])
    return false;
  diag_file(c, E0701, STR("ecsc"), "%s", c->bad_read);
  c->bad_read[0] = 0;
  return true;
}

Str out_data(Compilation *c, OutTree *t, const OutFile *f) {
  jsonout_arena_begin(&c->arena);
  Str data;
  switch (f->kind) {
  case OUT_VPC: data = emit_tf_vpc(c, t->m, f->of, t->source); break;
  case OUT_USERDATA: data = emit_userdata(c, f->of); break;
  case OUT_SERVICE: data = emit_tf_service(c, t->m, f->of, t->source); break;
  case OUT_TASKDEF: data = emit_taskdef(c, t->m, f->of); break;
  default: data = f->data; break;
  }
  jsonout_arena_end();
  return data;
}

static int by_path(const void *a, const void *b) {
  return str_cmp(((const OutFile *)a)->path, ((const OutFile *)b)->path);
}

// The paths of the tree and what each is made from; the bytes come later,
// file by file (out_data).
OutTree *emit(Compilation *c, Model *m, Str source) {
  OutTree *t = new(&c->arena, OutTree, 1);
  t->m = m;
  t->source = source;
  Arena *a = &c->arena;
  // Line indexes are built on first use: build them now, in the arena that
  // lasts, not in a file's scratch that is rewound.
  for (ptrdiff_t i = 0; i < c->nsources; i++)
    source_linecol(a, c->sources[i], 0);
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    add(c, t, str_fmt(a, "%.*s/vpc/main.tf.json", S(e->name)), OUT_VPC, e, (Str){0});
    for (int k = 0; k < e->nclusters; k++)
      add(c, t, str_fmt(a, "%.*s/vpc/%.*s", S(e->name), S(emit_userdata_name(a, e->clusters[k]))),
          OUT_USERDATA, e->clusters[k], (Str){0});
    for (int k = 0; k < e->nservices; k++) {
      Service *s = e->services[k];
      Str dir = str_fmt(a, "%.*s/services/%.*s", S(e->name), S(s->name));
      add(c, t, str_fmt(a, "%.*s/main.tf.json", S(dir)), OUT_SERVICE, s, (Str){0});
      add(c, t, str_fmt(a, "%.*s/task-definition.json", S(dir)), OUT_TASKDEF, s, (Str){0});
    }
  }
  qsort(t->files, (size_t)t->n, sizeof *t->files, by_path);
  return t;
}

//
// The stream: files made on other threads while the caller writes them
//

// Making a file's bytes (Jansson) costs more than writing or reading it (the
// kernel): makers on every core make them ahead, at most RING files ahead of
// the caller, which takes them in its order. Maker k makes files k, k + n,
// k + 2n ... in its own arena, rewound after every file, and copies each out
// to the heap. A side that waits is woken only once BATCH files (or the room
// for them) are there: a wake-up per file cost a tenth of a build in futex
// calls and context switches.
enum { RING = 128, BATCH = 16, MAX_MAKERS = 8 };

// A file's bytes on the heap, between the threads.
typedef struct {
  char *ptr;
  ptrdiff_t len;
  bool ready;
} Chunk;

typedef struct {
  OutStream *s;
  Compilation c;    // a copy with its own arena; the rest read-only
  int index;        // makes files index, index + nmakers, ...
  pthread_t thread;
} Maker;

struct OutStream {
  Compilation *c;
  OutTree *tree;
  const OutFile *const *order;
  ptrdiff_t n, taken;
  Chunk ring[RING];
  char *held;                 // the caller's current file, freed on the next call
  Maker makers[MAX_MAKERS];
  int nmakers;                // 0: no thread to be had; the caller makes each file
  bool stop;                  // the caller is done: the makers end
  int makers_waiting;
  bool caller_waits;
  pthread_mutex_t lock;
  pthread_cond_t room, ready;
};

static Chunk copy_out(Str data) {
  char *p = malloc((size_t)data.len + 1);
  if (!p) {
    fputs("ecsc: out of memory\n", stderr);
    abort();
  }
  if (data.len)
    memcpy(p, data.ptr, (size_t)data.len);
  return (Chunk){p, data.len, true};
}

// A maker's compilation: c's, read-only, but for an arena of its own and
// its own finding (out_data's c->bad_read).
static Compilation maker_of(Compilation *c) {
  Compilation m = *c;
  m.arena = (Arena){0};
  m.bad_read[0] = 0;
  return m;
}

// Hands a maker's finding, if any, to c and frees its arena.
static void maker_done(Compilation *c, Compilation *m) {
  if (m->bad_read[0] && !c->bad_read[0])
    memcpy(c->bad_read, m->bad_read, sizeof c->bad_read);
  arena_free(&m->arena);
}

static Chunk make_one(Compilation *c, OutTree *t, const OutFile *f) {
  ArenaMark mark = arena_mark(&c->arena);
  Chunk data = copy_out(out_data(c, t, f));
  arena_rewind(&c->arena, mark);
  return data;
}

// Whether the caller has what it waits for: BATCH files in a row from the
// next one, or every file left.
static bool batch_ready(OutStream *s) {
  ptrdiff_t k = 0;
  while (k < BATCH && s->taken + k < s->n && s->ring[(s->taken + k) % RING].ready)
    k++;
  return k == BATCH || s->taken + k == s->n;
}

static void *make_all(void *arg) {
  Maker *m = arg;
  OutStream *s = m->s;
  // s->n and s->nmakers are fixed before the threads start.
  for (ptrdiff_t i = m->index; i < s->n; i += s->nmakers) {
    Chunk data = make_one(&m->c, s->tree, s->order[i]);
    pthread_mutex_lock(&s->lock);
    if (i >= s->taken + RING && !s->stop) {
      s->makers_waiting++;
      while (i >= s->taken + RING && !s->stop)
        pthread_cond_wait(&s->room, &s->lock);
      s->makers_waiting--;
    }
    bool stop = s->stop;
    if (!stop) {
      s->ring[i % RING] = data;
      if (s->caller_waits && batch_ready(s))
        pthread_cond_signal(&s->ready);
    }
    pthread_mutex_unlock(&s->lock);
    if (stop) {
      free(data.ptr);
      break;
    }
  }
  return NULL;
}

// Two makers a core: measured at 10 x 1000 on two cores, a rebuild's making
// and comparing took 0.73 s with two makers, 0.61 s with three and 0.54 s
// with four (the scheduler shares a core by thread, and the caller's reads
// and writes keep one core partly busy).
static int maker_count(void) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return cores < 1 ? 2 : cores > MAX_MAKERS / 2 ? MAX_MAKERS : 2 * (int)cores;
}

OutStream *out_stream(Compilation *c, OutTree *t, const OutFile *const *order, ptrdiff_t n) {
  OutStream *s = new(&c->arena, OutStream, 1);
  s->c = c;
  s->tree = t;
  s->order = order;
  s->n = n;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->room, NULL);
  pthread_cond_init(&s->ready, NULL);
  int want = maker_count();
  s->nmakers = want;
  for (int k = 0; k < want; k++) {
    Maker *m = &s->makers[k];
    m->s = s;
    m->index = k;
    m->c = maker_of(c);
  }
  // The threads read nmakers: a failed start ends the ones started, and the
  // caller makes the files itself.
  int started = 0;
  while (started < want && pthread_create(&s->makers[started].thread, NULL, make_all,
                                          &s->makers[started]) == 0)
    started++;
  if (started < want) {
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_cond_broadcast(&s->room);
    pthread_mutex_unlock(&s->lock);
    for (int k = 0; k < started; k++)
      pthread_join(s->makers[k].thread, NULL);
    for (ptrdiff_t i = 0; i < RING; i++)
      free(s->ring[i].ptr), s->ring[i] = (Chunk){0};
    s->stop = false;
    s->nmakers = 0;
  }
  return s;
}

Str out_stream_next(OutStream *s) {
  free(s->held);
  s->held = NULL;
  Chunk data;
  if (!s->nmakers) {
    data = make_one(&s->makers[0].c, s->tree, s->order[s->taken++]);
  } else {
    pthread_mutex_lock(&s->lock);
    if (!s->ring[s->taken % RING].ready) {
      if (s->makers_waiting)  // they may be making what this waits for
        pthread_cond_broadcast(&s->room);
      s->caller_waits = true;
      while (!batch_ready(s))
        pthread_cond_wait(&s->ready, &s->lock);
      s->caller_waits = false;
    }
    data = s->ring[s->taken % RING];
    s->ring[s->taken % RING] = (Chunk){0};
    s->taken++;
    if (s->makers_waiting && s->taken % BATCH == 0)
      pthread_cond_broadcast(&s->room);
    pthread_mutex_unlock(&s->lock);
  }
  s->held = data.ptr;
  return (Str){data.ptr, data.len};
}

// Stops the makers (they may be ahead), frees what they made, and hands
// their finding, if any, to the compilation.
void out_stream_end(OutStream *s) {
  if (s->nmakers) {
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_cond_broadcast(&s->room);
    pthread_mutex_unlock(&s->lock);
    for (int k = 0; k < s->nmakers; k++)
      pthread_join(s->makers[k].thread, NULL);
    for (ptrdiff_t i = 0; i < RING; i++)
      free(s->ring[i].ptr);
  }
  free(s->held);
  s->held = NULL;
  for (int k = 0; k < MAX_MAKERS; k++)  // those never set up are all zeros
    maker_done(s->c, &s->makers[k].c);
  pthread_cond_destroy(&s->room);
  pthread_cond_destroy(&s->ready);
  pthread_mutex_destroy(&s->lock);
}

//
// Each file made and used on the makers' threads
//

typedef struct {
  Compilation c;    // a copy with its own arena; the rest read-only
  OutTree *tree;
  const OutFile *const *files;
  ptrdiff_t n;
  int index, nmakers;
  OutUse *use;
  void *ctx;
  _Atomic bool *stop;
  pthread_t thread;
} EachMaker;

static void *make_and_use(void *arg) {
  EachMaker *m = arg;
  for (ptrdiff_t i = m->index; i < m->n && !*m->stop; i += m->nmakers) {
    ArenaMark mark = arena_mark(&m->c.arena);
    bool ok = m->use(m->ctx, m->files[i], out_data(&m->c, m->tree, m->files[i]));
    arena_rewind(&m->c.arena, mark);
    if (!ok)
      *m->stop = true;
  }
  return NULL;
}

bool out_each(Compilation *c, OutTree *t, const OutFile *const *files, ptrdiff_t n, OutUse *use,
              void *ctx) {
  _Atomic bool stop = false;
  EachMaker makers[MAX_MAKERS];
  int want = maker_count(), started = 0;
  for (int k = 0; k < want; k++) {
    makers[k] = (EachMaker){.c = maker_of(c), .tree = t, .files = files, .n = n, .index = k,
                            .nmakers = want, .use = use, .ctx = ctx, .stop = &stop};
  }
  for (; started < want; started++)
    if (pthread_create(&makers[started].thread, NULL, make_and_use, &makers[started]) != 0)
      break;
  if (started == 0) {  // no thread to be had: one maker, here, for every file
    makers[0].nmakers = 1;
    make_and_use(&makers[0]);
  } else if (started < want) {  // the files of the makers that did not start
    for (int k = started; k < want; k++)
      make_and_use(&makers[k]);
  }
  for (int k = 0; k < started; k++)
    pthread_join(makers[k].thread, NULL);
  for (int k = 0; k < want; k++)
    maker_done(c, &makers[k].c);
  return !stop;
}
