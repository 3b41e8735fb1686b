// tests/unit/test_partitions.c: a region's partition as model.c finds it from
// partitions.h (AWS's partition data): the regions AWS lists, a region it
// does not list yet by its partition's regex, aws when none claims it; the
// DNS suffix ecsc writes endpoints with; which regions it lists; and that
// every region std/aws/regions declares is one AWS lists in the aws
// partition, as its header says.
#include "model.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

void test_partitions(int *passed, int *failed);

static const struct {
  const char *region, *partition, *dns_suffix;
} regions[] = {
    {"us-east-1", "aws", "amazonaws.com"},
    {"ap-southeast-7", "aws", "amazonaws.com"},
    {"cn-north-1", "aws-cn", "amazonaws.com.cn"},
    {"cn-northwest-1", "aws-cn", "amazonaws.com.cn"},
    {"us-gov-west-1", "aws-us-gov", "amazonaws.com"},
    {"us-gov-east-1", "aws-us-gov", "amazonaws.com"},
    // Until partitions.h, every region not cn- or us-gov- was taken for aws.
    {"us-iso-east-1", "aws-iso", "c2s.ic.gov"},
    {"us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"},
    {"eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk"},
    {"us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov"},
    {"eusc-de-east-1", "aws-eusc", "amazonaws.eu"},
    // Not listed: by the regexes, as the SDKs find them.
    {"cn-south-1", "aws-cn", "amazonaws.com.cn"},
    {"us-gov-central-1", "aws-us-gov", "amazonaws.com"},
    {"eu-east-9", "aws", "amazonaws.com"},
    // No partition claims it: aws, the SDKs' default.
    {"mars-north-1", "aws", "amazonaws.com"},
};

static void test_regions(void) {
  for (int i = 0; i < (int)countof(regions); i++) {
    const Partition *p = model_partition_of(str_c(regions[i].region));
    expect(!strcmp(p->id, regions[i].partition), "partition", regions[i].region);
    expect(!strcmp(p->dns_suffix, regions[i].dns_suffix), "dns suffix", regions[i].region);
    expect(model_partition_named(str_c(regions[i].partition)) == p, "named", regions[i].partition);
  }
  // Listed: what check_regions.c takes for an ARN without zone names.
  expect(model_region_listed(STR("ap-east-2")), "listed", "ap-east-2");
  expect(model_region_listed(STR("ap-southeast-6")), "listed", "ap-southeast-6");
  expect(model_region_listed(STR("eusc-de-east-1")), "listed", "eusc-de-east-1");
  expect(!model_region_listed(STR("cn-south-1")), "not listed", "cn-south-1");
  expect(!model_region_listed(STR("aws-global")), "pseudo-region not listed", "aws-global");
  expect(!model_partition_named(STR("aws-cnn")), "no such partition", "aws-cnn");
  expect(model_partition_supported(model_partition_named(STR("aws-cn"))), "supported", "aws-cn");
  expect(!model_partition_supported(model_partition_named(STR("aws-iso"))), "unsupported",
         "aws-iso");
}

// Each `region "NAME"` of stdlib/aws/regions.ecs (run from the repository's
// root, as tests/unit/run-unit is).
static void test_stdlib_regions(void) {
  Arena a = {0};
  Str text;
  if (!read_file(&a, "stdlib/aws/regions.ecs", &text)) {
    expect(false, "read", "stdlib/aws/regions.ecs");
    return;
  }
  int n = 0;
  const char *p = text.ptr, *end = text.ptr + text.len;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    Str line = {p, (eol ? eol : end) - p};
    if (str_starts_with(line, STR("region \""))) {
      Str name = {line.ptr + 8, 0};
      while (name.ptr + name.len < line.ptr + line.len && name.ptr[name.len] != '"')
        name.len++;
      char *cname = str_cstr(&a, name);
      expect(!strcmp(model_partition_of(name)->id, "aws"), "std/aws region in aws", cname);
      n++;
    }
    p = eol ? eol + 1 : end;
  }
  expect(n >= 30, "std/aws regions read", "stdlib/aws/regions.ecs");
  arena_free(&a);
}

void test_partitions(int *passed, int *failed) {
  npassed = passed, nfailed = failed;
  test_regions();
  test_stdlib_regions();
}
