// makers.c: the maker threads, which make the output files' bytes (emit.c's
// emit_bytes, through Jansson) on every core while output.c writes or
// compares them. Two ways: a stream, which hands the files to the caller in
// its order (an update compares each with DIR's), and makers_each, which
// hands each to a function on the makers' own threads, in no order (a new
// DIR, where every file is written anyway).
//
// A maker has an arena of its own, rewound after every file, and reads the
// model: an emitter is a pure function from the model to bytes (emit.h), so
// nothing is shared that is written, and nothing is reported.
#include "emit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Making a file's bytes (Jansson) costs more than writing or reading it (the
// kernel): makers on every core make them ahead, at most RING files ahead of
// the caller, which takes them in its order. Maker k makes files k, k + n,
// k + 2n ... in its own arena, rewound after every file, and copies each out
// to the heap. A side that waits is woken only once BATCH files (or the room
// for them) are there: a wake-up per file cost a tenth of a build in futex
// calls and context switches.
enum { RING = 128, BATCH = 16, MAX_MAKERS = 8 };

typedef struct {
  MakerStream *s;
  Arena arena;      // its own, rewound after every file
  int index;        // makes files index, index + nmakers, ...
  pthread_t thread;
} Maker;

struct MakerStream {
  OutTree *tree;
  const OutFile *const *order;
  ptrdiff_t n, taken;
  Chunk ring[RING];
  Chunk held;                 // the caller's current file, freed on the next call
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

void makers_release(Chunk data) {
  free(data.ptr);
}

// A file's bytes made in a maker's arena, which is rewound after each.
static Str make_in(Arena *a, const OutTree *t, const OutFile *f) {
  Emitter em = {a, t->m, t->source};
  return emit_bytes(&em, f);
}

static Chunk make_one(Arena *a, OutTree *t, const OutFile *f) {
  ArenaMark mark = arena_mark(a);
  Chunk data = copy_out(make_in(a, t, f));
  arena_rewind(a, mark);
  return data;
}

// Two makers a core: measured at 10 x 1000 on two cores, a rebuild's making
// and comparing took 0.73 s with two makers, 0.61 s with three and 0.54 s
// with four (the scheduler shares a core by thread, and the caller's reads
// and writes keep one core partly busy).
static int maker_count(void) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return cores < 1 ? 2 : cores > MAX_MAKERS / 2 ? MAX_MAKERS : 2 * (int)cores;
}

//
// The stream: files made on other threads while the caller writes them
//

// Whether the caller has what it waits for: BATCH files in a row from the
// next one, or every file left.
static bool batch_ready(MakerStream *s) {
  ptrdiff_t k = 0;
  while (k < BATCH && s->taken + k < s->n && s->ring[(s->taken + k) % RING].ready)
    k++;
  return k == BATCH || s->taken + k == s->n;
}

static void *make_all(void *arg) {
  Maker *m = arg;
  MakerStream *s = m->s;
  // s->n and s->nmakers are fixed before the threads start.
  for (ptrdiff_t i = m->index; i < s->n; i += s->nmakers) {
    Chunk data = make_one(&m->arena, s->tree, s->order[i]);
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

MakerStream *makers_stream(Arena *a, OutTree *t, const OutFile *const *order, ptrdiff_t n) {
  MakerStream *s = new(a, MakerStream, 1);
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
    m->arena = (Arena){0};
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

Chunk makers_take(MakerStream *s) {
  if (!s->nmakers)
    return make_one(&s->makers[0].arena, s->tree, s->order[s->taken++]);
  pthread_mutex_lock(&s->lock);
  if (!s->ring[s->taken % RING].ready) {
    if (s->makers_waiting)  // they may be making what this waits for
      pthread_cond_broadcast(&s->room);
    s->caller_waits = true;
    while (!batch_ready(s))
      pthread_cond_wait(&s->ready, &s->lock);
    s->caller_waits = false;
  }
  Chunk data = s->ring[s->taken % RING];
  s->ring[s->taken % RING] = (Chunk){0};
  s->taken++;
  if (s->makers_waiting && s->taken % BATCH == 0)
    pthread_cond_broadcast(&s->room);
  pthread_mutex_unlock(&s->lock);
  return data;
}

Str makers_next(MakerStream *s) {
  makers_release(s->held);
  s->held = makers_take(s);
  return (Str){s->held.ptr, s->held.len};
}

// Stops the makers (they may be ahead), frees what they made, and hands
// their finding, if any, to the compilation.
void makers_end(MakerStream *s) {
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
  makers_release(s->held);
  s->held = (Chunk){0};
  for (int k = 0; k < MAX_MAKERS; k++)  // those never set up are all zeros
    arena_free(&s->makers[k].arena);
  pthread_cond_destroy(&s->room);
  pthread_cond_destroy(&s->ready);
  pthread_mutex_destroy(&s->lock);
}

//
// Each file made and used on the makers' threads
//

// The files are handed out a directory at a time (a state's files are
// consecutive in the tree's order), each run to the next maker free: no two
// makers create files in one directory at once, the one that takes a run
// makes its directory, and a maker that drew the large VPC states does not
// hold the others' share.
typedef struct {
  OutTree *tree;
  const OutFile *const *files;
  ptrdiff_t n, next;  // the first file no maker has taken
  MakerUse *use;
  void *ctx;
  _Atomic bool stop;
  pthread_mutex_t lock;
} EachShared;

typedef struct {
  Arena arena;  // its own, rewound after every file
  EachShared *s;
  pthread_t thread;
} EachMaker;

static Str dir_part(Str path) {
  ptrdiff_t i = path.len;
  while (i > 0 && path.ptr[i - 1] != '/')
    i--;
  return (Str){path.ptr, i};
}

// The next run of files in one directory: [*from, return value).
static ptrdiff_t take_run(EachShared *s, ptrdiff_t *from) {
  pthread_mutex_lock(&s->lock);
  ptrdiff_t i = *from = s->next;
  if (i < s->n) {
    Str dir = dir_part(s->files[i]->path);
    for (i++; i < s->n && str_eq(dir_part(s->files[i]->path), dir); i++) {
    }
  }
  s->next = i;
  pthread_mutex_unlock(&s->lock);
  return i;
}

static void *make_and_use(void *arg) {
  EachMaker *m = arg;
  EachShared *s = m->s;
  for (;;) {
    ptrdiff_t i, end = take_run(s, &i);
    if (i == end)
      return NULL;
    for (; i < end && !s->stop; i++) {
      ArenaMark mark = arena_mark(&m->arena);
      bool ok = s->use(s->ctx, s->files[i], make_in(&m->arena, s->tree, s->files[i]));
      arena_rewind(&m->arena, mark);
      if (!ok)
        s->stop = true;
    }
    if (s->stop)
      return NULL;
  }
}

bool makers_each(OutTree *t, const OutFile *const *files, ptrdiff_t n, MakerUse *use, void *ctx) {
  EachShared s = {.tree = t, .files = files, .n = n, .use = use, .ctx = ctx};
  pthread_mutex_init(&s.lock, NULL);
  EachMaker makers[MAX_MAKERS];
  int want = maker_count(), started = 0;
  for (int k = 0; k < want; k++)
    makers[k] = (EachMaker){.s = &s};
  for (; started < want; started++)
    if (pthread_create(&makers[started].thread, NULL, make_and_use, &makers[started]) != 0)
      break;
  if (started < want)  // a maker here too, for what the threads to be had leave
    make_and_use(&makers[started]);
  for (int k = 0; k < started; k++)
    pthread_join(makers[k].thread, NULL);
  for (int k = 0; k < want; k++)
    arena_free(&makers[k].arena);
  pthread_mutex_destroy(&s.lock);
  return !s.stop;
}
