// iam.c: placeholder until IAM derivation lands.
#include "model.h"

void iam_derive(Compilation *c, Model *m) {
  (void)c;
  (void)m;
}

void iam_explain(Compilation *c, Model *m, Buf *out, bool json) {
  (void)c, (void)m, (void)out, (void)json;
}

Str arn_partition(Str region) {
  if (str_starts_with(region, STR("cn-")))
    return STR("aws-cn");
  if (str_starts_with(region, STR("us-gov-")))
    return STR("aws-us-gov");
  return STR("aws");
}
