// check.c: placeholder until the validation rules land.
#include "model.h"

void check(Compilation *c, Model *m) {
  (void)c;
  (void)m;
}
