/* tests/fuzz/shard.c - libFuzzer target: what runner/shard.c reads from
 * outside.  The first byte picks the reader: even, a shard manifest
 * (shard.json, as a merge reads it from a shard folder), odd: an
 * environment ("NAME=value" lines) for --shard auto, then mapped onto a
 * fixed set of recorded shards.  Whatever parses must hold
 * the invariants the merge and the run rely on. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runner/limits.h"
#include "runner/shard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *env_of(const char *name, void *ctx)
{
  size_t n = strlen(name);
  for(char *line = ctx; line && *line; ) {
    char *nl = strchr(line, '\n');
    if(!strncmp(line, name, n) && line[n] == '=') {
      static char v[256];
      size_t len = nl ? (size_t)(nl - line) - n - 1 : strlen(line + n + 1);
      if(len >= sizeof(v))
        len = sizeof(v) - 1;
      memcpy(v, line + n + 1, len);
      v[len] = '\0';
      return v;
    }
    line = nl ? nl + 1 : NULL;
  }
  return NULL;
}

static void check_spec(const struct shard_spec *sp)
{
  if(sp->n && (sp->k < 1 || sp->k > sp->n || sp->n > BON_SHARDS_MAX))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size < 1)
    return 0;
  char *text = malloc(size);
  memcpy(text, data + 1, size - 1);
  text[size - 1] = '\0';
  struct bon_err err;
  if(data[0] % 2 == 0) {
    struct shard_manifest m;
    if(shard_manifest_parse(text, "fuzz.json", &m, &err) == 0) {
      if(m.k < 1 || m.k > m.n || strlen(m.hash) != 16 ||
         (m.array.slurm && (m.array.step < 1 || m.array.id < m.array.min ||
                            m.array.id > m.array.max)))
        abort();
      cJSON_Delete(shard_manifest_json(&m));
    }
  }
  else {
    struct shard_spec sp;
    if(shard_from_env(env_of, text, &sp, &err) == 0) {
      check_spec(&sp);
      struct shard_manifest known[2];
      memset(known, 0, sizeof(known));
      for(int i = 0; i < 2; i++) {
        known[i].k = i + 1;
        known[i].n = 4;
        known[i].array.slurm = data[0] & 8 ? 1 : 0;
        known[i].array.step = 1;
        known[i].array.count = 4;
        known[i].array.max = 3;
        known[i].array.id = i;
      }
      if(shard_resolve(&sp, known, (data[0] & 16) ? 2 : 0, "fuzz", &err) ==
         0) {
        check_spec(&sp);
        if(!sp.n)
          abort(); /* resolved means K/N known */
      }
    }
  }
  free(text);
  return 0;
}
