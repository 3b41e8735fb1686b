// emit.c: the output tree: every file a build writes, from the model, in a
// fixed order, so the same input gives the same bytes everywhere.
#include "emit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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
// The stream: files made on a second thread while the first writes them
//

// Making a file's bytes (Jansson) and writing them (the kernel) each take
// about half of a build; on two cores they overlap. The maker runs ahead by
// at most RING files, each copied out of its own arena, which it rewinds.
// A side that waits is woken only once BATCH files (or the room for them)
// are there: a wake-up per file cost a tenth of the build in futex calls and
// context switches.
enum { RING = 64, BATCH = 16 };

// A file's bytes on the heap, between the two threads.
typedef struct {
  char *ptr;
  ptrdiff_t len;
} Chunk;

struct OutStream {
  Compilation *c;
  Compilation maker;          // the maker's own arena; the rest read-only
  OutTree *tree;
  const OutFile *const *order;
  ptrdiff_t n, made, taken;
  Chunk ring[RING];
  char *held;                 // the consumer's current file, freed on the next call
  pthread_t thread;
  bool threaded;
  bool stop;                  // the writer is done: the maker ends
  bool maker_waits, writer_waits;
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
  return (Chunk){p, data.len};
}

static void *make_all(void *arg) {
  OutStream *s = arg;
  for (ptrdiff_t i = 0; i < s->n; i++) {  // s->n is fixed before the thread starts
    ArenaMark mark = arena_mark(&s->maker.arena);
    Chunk data = copy_out(out_data(&s->maker, s->tree, s->order[i]));
    arena_rewind(&s->maker.arena, mark);
    pthread_mutex_lock(&s->lock);
    if (s->made - s->taken >= RING && !s->stop) {
      s->maker_waits = true;
      while (s->made - s->taken > RING - BATCH && !s->stop)
        pthread_cond_wait(&s->room, &s->lock);
      s->maker_waits = false;
    }
    bool stop = s->stop;
    if (!stop) {
      s->ring[s->made % RING] = data;
      s->made++;
      if (s->writer_waits && (s->made - s->taken >= BATCH || s->made == s->n))
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

OutStream *out_stream(Compilation *c, OutTree *t, const OutFile *const *order, ptrdiff_t n) {
  OutStream *s = new(&c->arena, OutStream, 1);
  s->c = c;
  s->tree = t;
  s->order = order;
  s->n = n;
  s->maker = *c;
  s->maker.arena = (Arena){0};  // the maker allocates apart from the writer
  s->maker.bad_read[0] = 0;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->room, NULL);
  pthread_cond_init(&s->ready, NULL);
  s->threaded = pthread_create(&s->thread, NULL, make_all, s) == 0;
  return s;
}

Str out_stream_next(OutStream *s) {
  free(s->held);
  s->held = NULL;
  Chunk data;
  if (!s->threaded) {  // no thread to be had: make it here
    ArenaMark mark = arena_mark(&s->maker.arena);
    data = copy_out(out_data(&s->maker, s->tree, s->order[s->taken++]));
    arena_rewind(&s->maker.arena, mark);
  } else {
    pthread_mutex_lock(&s->lock);
    if (s->made == s->taken) {
      s->writer_waits = true;
      while (s->made == s->taken || (s->made - s->taken < BATCH && s->made < s->n))
        pthread_cond_wait(&s->ready, &s->lock);
      s->writer_waits = false;
    }
    data = s->ring[s->taken % RING];
    s->taken++;
    if (s->maker_waits && s->made - s->taken <= RING - BATCH)
      pthread_cond_signal(&s->room);
    pthread_mutex_unlock(&s->lock);
  }
  s->held = data.ptr;
  return (Str){data.ptr, data.len};
}

// Stops the maker (it may be ahead), frees what it made, and hands its
// finding, if any, to the compilation.
void out_stream_end(OutStream *s) {
  if (s->threaded) {
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_cond_broadcast(&s->room);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    for (; s->taken < s->made; s->taken++)
      free(s->ring[s->taken % RING].ptr);
  }
  free(s->held);
  s->held = NULL;
  if (s->maker.bad_read[0] && !s->c->bad_read[0])
    memcpy(s->c->bad_read, s->maker.bad_read, sizeof s->c->bad_read);
  arena_free(&s->maker.arena);
  pthread_cond_destroy(&s->room);
  pthread_cond_destroy(&s->ready);
  pthread_mutex_destroy(&s->lock);
}
