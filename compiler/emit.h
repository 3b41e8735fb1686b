// emit.h: the output: a tree of files in memory, the emitters that fill it
// from the model, and the writer (makers.c, fileio.c, journal.c, output.c),
// which puts it on disk all or nothing, each state directory whole.
//
//   DIR/ENV/vpc/main.tf.json           the environment's state
//   DIR/ENV/vpc/user_data_CLUSTER.sh   a cluster's container instances' boot script
//   DIR/ENV/services/S/main.tf.json    one state per service
//   DIR/ENV/services/S/task-definition.json
//   DIR/.ecsc-manifest                 the files ecsc wrote, for the next build
//
// A state directory is DIR/ENV/vpc or DIR/ENV/services/S: a Terraform root
// module, which changes whole (journal.c) and which --changed=json names
// (emit_changes.c).
#ifndef ECSC_EMIT_H
#define ECSC_EMIT_H

#include "model.h"

#include <jansson.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

// jsonout.c
Str jsonout_dump(Arena *a, json_t *root);  // two-space JSON, trailing newline
// Between begin and end, Jansson allocates from the arena and frees nothing:
// an emitter's objects go when the arena rewinds (they are many and short-lived).
void jsonout_arena_begin(Arena *a);
void jsonout_arena_end(void);
// Builders, so that an emitter reads like the document it writes:
//
//   jsonout_obj("type", jsonout_cstr("spread"),
//               "field", jsonout_cstr("instanceId"))
//   jsonout_arr(jsonout_cstr("EC2"))
//
// Each takes the references it is given (Jansson's _new setters), so only a
// root is ever json_decref'd; members and items keep the order written
// (Jansson keeps insertion order). A NULL value or item is left out: that is
// how an optional member reads, "sid", s->sid.len ? jsonout_str(s->sid) : NULL.
json_t *jsonout_members(json_t *o, ...) __attribute__((sentinel));  // key, value, ..., NULL
json_t *jsonout_vmembers(json_t *o, va_list ap);                     // the same from a va_list
#define jsonout_obj(...) jsonout_members(json_object(), __VA_ARGS__, (const char *)NULL)
#define jsonout_put(o, ...) jsonout_members((o), __VA_ARGS__, (const char *)NULL)  // adds to o
json_t *jsonout_putn(json_t *o, Str key, json_t *value);  // a key that is a Str; returns o
json_t *jsonout_items(json_t *const *items, ptrdiff_t n);
#define jsonout_arr(...) \
  jsonout_items((json_t *[]){__VA_ARGS__}, countof(((json_t *[]){__VA_ARGS__})))
// Values. Strings go unchecked: the model's are UTF-8 already (source.c and
// libyaml reject anything else, the lexer refuses surrogate and NUL escapes)
// and ecsc's own are ASCII; Jansson's check of each was a tenth of emission.
json_t *jsonout_str(Str s);
json_t *jsonout_cstr(const char *s);
json_t *jsonout_strs(const Str *s, int n);  // [s[0], ..., s[n-1]]
json_t *jsonout_int(int64_t n);
json_t *jsonout_tenths(int64_t tenths);  // 25: 2.5; 50: 5, an integer
json_t *jsonout_bool(bool b);


// Versions the generated roots require (README.md says why these).
#define TERRAFORM_REQUIRED_LOCKFILE ">= 1.10.0"  // S3 native state locking (use_lockfile)
// The provider: 6.25, the schema every generated state is checked against
// (tests/build.sh, tfjson-check), which also has sigint_rollback (6.11) and
// capacity provider strategies updated in place with force_new_deployment
// (6.15, hashicorp/terraform-provider-aws#43533: before it a change of
// strategy replaced the service); not 6.53.0 and 6.54.0, which roll back
// every deployment of a service with sigint_rollback (#49031).
#define AWS_PROVIDER_REQUIRED ">= 6.25, != 6.53.0, != 6.54.0, < 7.0"

// A file of the tree. Its bytes are made when output.c asks for them
// (emit_bytes), one file at a time in a scratch part of the arena, so a
// build of ten thousand states holds a few of them in memory, not all.
typedef enum { OUT_BYTES, OUT_VPC, OUT_USERDATA, OUT_SERVICE, OUT_TASKDEF } OutKind;

typedef struct {
  Str path;   // relative to the output directory: "staging/vpc/main.tf.json"
  OutKind kind;
  void *of;   // the Environment, Cluster or Service it is made from
  Str data;   // OUT_BYTES: the bytes themselves
} OutFile;

typedef struct {
  OutFile *items;
  ptrdiff_t len, cap;
  Model *m;
  Str source;  // the root file, as named on the command line
} OutTree;

// emit.c: every file of the tree, and each one's bytes on demand.
OutTree *emit(Compilation *c, Model *m, Str source);

// What an emitter works with: the model, read only, and an arena for the
// bytes it makes (a maker thread's own, rewound after every file). Emitters
// are pure functions from the model to bytes: they report nothing, since a
// model that checked clean (check.c) is one they can write.
typedef struct {
  Arena *arena;
  const Model *model;
  Str source;  // the root file, as named on the command line
} Emitter;

// The file's bytes, made now in em's arena: callers take an arena_mark
// before and rewind after using them.
Str emit_bytes(const Emitter *em, const OutFile *f);

// emit_tf_vpc.c and emit_tf_service.c: the Terraform JSON of the two kinds
// of state (emit_tf.h, emit_tf.c: what they share).
Str emit_tf_vpc(const Emitter *em, const Environment *e);
Str emit_tf_service(const Emitter *em, const Service *s);
// The tags every resource of e's states carries (the provider's
// default_tags), as the states write them: what a rebuild compares
// (rebuild_costs.c, W1234). The caller owns the object.
json_t *emit_tf_default_tags(Arena *a, const Model *m, const Environment *e);
// The Service Connect namespace's description, which rebuild_retire.c compares
// with the previous build's: a new one replaces the namespace (E1052).
#define EMIT_TF_CONNECT_DESCRIPTION "Service Connect of the environment's services"

// emit_taskdef.c: a RegisterTaskDefinition input, also what the service
// state reads its container definitions from.
Str emit_taskdef(const Emitter *em, const Service *s);

// emit_userdata.c: the boot script of a cluster's instances, and its file's
// name: user_data_CLUSTER.sh; .toml for Bottlerocket, whose user data is
// settings.
Str emit_userdata(const Emitter *em, const Cluster *k);
Str emit_userdata_name(Arena *a, const Cluster *k);
// Whether a group's user data differs from its cluster's, in a file of its own.
bool emit_userdata_own(const Cluster *k);

// graph.c: `ecsc graph`: the deployment's dependency graph and the apply
// order of its states, as Graphviz DOT or (json) one JSON document.
void graph_write(Compilation *c, Model *m, Str source, bool json, Buf *out);

// import_compose.c: `ecsc import compose`: a Docker Compose file as the
// text of an env.ecs ({0} after reporting why not).
Str import_compose(Compilation *c, Source *src);
// emit_changes.c: the state directories a build changed, added or removed
// (noted by output.c and journal.c), and the --changed=json document that
// names them for CI.
typedef enum { CHANGE_ADDED, CHANGE_CHANGED, CHANGE_REMOVED } ChangeKind;
typedef struct {
  Str dir;          // relative to DIR: "production/services/api"
  ChangeKind kind;
} StateChange;
typedef struct {
  StateChange *items;
  ptrdiff_t len, cap;
  Arena *arena;
  const bool *vpc_after;  // per model environment: its VPC state after its services, or NULL
  struct {
    Str *items;
    ptrdiff_t len, cap;
  } force_new;  // service states whose apply needs force_new_deployment (W1211)
} Changes;
void emit_changes_note(Changes *ch, Str dir, ChangeKind kind);  // the first note of a dir wins
void emit_changes_force_new(Changes *ch, Str dir);              // W1211's states
const char *emit_changes_name(ChangeKind kind);                 // "added", "changed", "removed"
Str emit_changes_json(Arena *a, const Model *m, Changes *ch);  // m: the order; NULL: none

//
// The writer of the output directory: makers.c makes the files' bytes,
// fileio.c has the file primitives, journal.c the journal of an update in
// place, output.c writes or compares the tree. Only these and main.c touch
// files.
//

// makers.c: the files' bytes made on every core. A stream hands them over
// in the given order, each Str valid until the next call, or each as a
// Chunk of the heap, the caller's to release.
typedef struct {
  char *ptr;
  ptrdiff_t len;
  bool ready;  // made (between the threads)
} Chunk;
typedef struct MakerStream MakerStream;
MakerStream *makers_stream(Arena *a, OutTree *t, const OutFile *const *order, ptrdiff_t n);
Str makers_next(MakerStream *s);
Chunk makers_take(MakerStream *s);
void makers_release(Chunk data);
void makers_end(MakerStream *s);
// Each file's bytes handed to use(ctx, file, bytes) on the makers' threads,
// side by side, in no order; use must be thread-safe, and its returning
// false stops them all. False when one did.
typedef bool MakerUse(void *ctx, const OutFile *f, Str data);
bool makers_each(OutTree *t, const OutFile *const *files, ptrdiff_t n, MakerUse *use, void *ctx);

// fileio.c: the file primitives, each relative to a directory's descriptor
// and never through a symbolic link.
#define OUTPUT_MANIFEST ".ecsc-manifest"  // DIR/.ecsc-manifest: the files ecsc wrote
#define OUTPUT_SCRATCH ".ecsc-update"     // DIR/.ecsc-update: an update's scratch
#define OUTPUT_RESERVED ".ecsc-"          // no path of the tree starts so
enum { FILEIO_FILE_MODE = 0644, FILEIO_DIR_MODE = 0755 };
// An update that stages up to this many files fsyncs each; past it, one
// syncfs is cheaper. (syncfs flushes all of the file system's dirty data,
// another program's too: after a checkout, seconds for a one-file change.)
enum { OUTPUT_FSYNC_MAX = 64 };

// The directory being written, and where its failures are reported.
typedef struct {
  Compilation *c;
  Str dir;           // DIR as the user wrote it, for messages
  int dirfd;         // DIR, when it exists
  int stagefd;       // the new tree (a new DIR), or DIR/.ecsc-update (an update)
  mode_t umask;      // the process's, to skip chmods it makes needless
  Diag *io_failure;  // the last failure of the file system, if any
  Changes *changes;  // where the states changed on disk are noted, or NULL
} OutDir;

typedef enum { FILE_SAME, FILE_DIFFERENT, FILE_ABSENT, FILE_UNREADABLE } FileCompare;

const char *fileio_bad_path(Str p);  // why the tree must not have it, or NULL
ptrdiff_t fileio_seen_dirs(Str dir, Str prev);
void fileio_fail(OutDir *d, const char *rel, const char *what, int err);  // E0008 on DIR/rel
bool fileio_write_all(int fd, Str data);
FileCompare fileio_compare(int dirfd, const char *path, Str data, bool want_mode);
int fileio_read(Arena *a, int dirfd, const char *path, Str *out);  // 0 or an errno
int fileio_create(const OutDir *d, int dirfd, const char *name, Str data, bool sync);
bool fileio_write(OutDir *d, int dirfd, const char *name, const char *rel, Str data, bool sync);
void fileio_make_parents(char *path);
int fileio_make_dirs(const OutDir *d, int dirfd, char *path);  // 0 or an errno
int fileio_open_parent(const OutDir *d, char *path, bool make, const char **leaf);
void fileio_remove_empty_dirs(const OutDir *d, char *path);
int fileio_remove_tree(int dirfd, const char *name, bool is_dir);
int fileio_mount(int dirfd, const char *path, uint64_t *mount, struct stat *st);
int fileio_carry(int from, int to, const Str *skip, ptrdiff_t nskip);
int fileio_merge(int from, int to, const Str *drop, ptrdiff_t ndrop);

// journal.c: an update in place, written down before it is done, and
// recovery of one a kill interrupted.
typedef struct {
  Buf first;          // the header, and a manifest naming old and new files
  Buf dels;           // removals of files
  Buf swaps;          // the states replaced whole
  Buf puts;           // files renamed into place, the manifest's last
  ptrdiff_t header;   // first's length with the header alone
} Journal;
void journal_init(Journal *j, Arena *a);
void journal_put(Journal *j, ptrdiff_t staged, const char *path);
void journal_put_first(Journal *j, ptrdiff_t staged, const char *path);
void journal_del(Journal *j, const char *path);
void journal_swap(Journal *j, ptrdiff_t staged, ChangeKind kind, uint64_t ino, Str path);
void journal_drop(Journal *j, Str name);          // a file of the swap before it
void journal_state(Journal *j, ChangeKind kind, Str path);
bool journal_is_empty(const Journal *j);
bool journal_scratch(OutDir *d);                   // makes DIR/.ecsc-update
bool journal_can_exchange(OutDir *d);              // renameat2(RENAME_EXCHANGE) works here
bool journal_commit(OutDir *d, Journal *j);
bool journal_apply(OutDir *d, Journal *j);         // then removes the scratch
bool journal_discard(OutDir *d);                   // removes an uncommitted scratch
// Finishes or throws away what a killed update left; with discard, sets an
// unfinished one aside instead of finishing it.
bool journal_recover(OutDir *d, bool discard);
bool journal_pending(Arena *a, int dirfd, Changes *changes);  // a committed journal is in DIR
void journal_note_states(Arena *a, Str journal, Changes *changes);
extern bool journal_no_exchange;  // tests: behave as where the file system cannot exchange
extern long journal_stop_at;      // tests: an apply stops, as if killed, at this step (1, 2...)

// output.c: the output writer.
// OUT_REFUSED: the errors of OutOptions.changing or changing_states
// stopped the write; DIR is as it was.
typedef enum { OUT_OK, OUT_DIFFERS, OUT_FAILED, OUT_REFUSED } OutResult;
typedef struct {
  bool discard_journal;  // --discard-journal: set an unfinished update aside
  Changes *changes;      // --changed: the states changed (or, checking, to change)
  // Called with each file of every state directory of DIR the tree changes
  // (not of a new DIR), before anything is written, with DIR as given, and
  // changes (NULL without --changed).
  void (*changing)(Compilation *c, Str dir, const OutFile *f, Changes *changes);
  // Called once after the last changing, before anything is written, with
  // every state directory of DIR the tree changes, adds or removes (not of
  // a new DIR): what one state's change does to another's.
  void (*changing_states)(Compilation *c, const Model *m, Str dir, const Changes *states);
} OutOptions;            // a NULL OutOptions * is all false
OutResult output_write(Compilation *c, OutTree *t, const char *dir, const OutOptions *o);
OutResult output_check(Compilation *c, OutTree *t, const char *dir, const OutOptions *o,
                       Buf *report);
// Only what output_write does first: finishes, or throws away, what a build
// killed halfway left in DIR (tests look at DIR in between).
OutResult output_recover(Compilation *c, const char *dir, const OutOptions *o);

#endif
