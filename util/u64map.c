#include "util/u64map.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

static size_t home(uint64_t key, size_t cap)
{
  return (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
}

static struct u64map_slot *probe(struct u64map_slot *t, size_t cap,
                                 uint64_t key)
{
  size_t i = home(key, cap);
  while(t[i].key && t[i].key != key)
    i = (i + 1) & (cap - 1);
  return &t[i];
}

static void grow(struct u64map *m, size_t nc)
{
  struct u64map_slot *t = xcalloc(nc, sizeof(*t));
  for(size_t i = 0; i < m->cap; i++)
    if(m->slots[i].key)
      *probe(t, nc, m->slots[i].key) = m->slots[i];
  free(m->slots);
  m->slots = t;
  m->cap = nc;
}

void u64map_reserve(struct u64map *m, size_t n)
{
  size_t nc = m->cap ? m->cap : 1024;
  while(n * 10 > nc * 7)
    nc *= 2;
  if(nc != m->cap)
    grow(m, nc);
}

struct u64map_slot *u64map_put(struct u64map *m, uint64_t key, int *fresh)
{
  if((m->n + 1) * 10 > m->cap * 7)
    grow(m, m->cap ? m->cap * 2 : 1024);
  struct u64map_slot *s = probe(m->slots, m->cap, key);
  int isnew = !s->key;
  if(isnew) {
    *s = (struct u64map_slot){key, 0, 0, 0};
    m->n++;
  }
  if(fresh)
    *fresh = isnew;
  return s;
}

const struct u64map_slot *u64map_get(const struct u64map *m, uint64_t key)
{
  if(!m->cap)
    return NULL;
  const struct u64map_slot *s = probe(m->slots, m->cap, key);
  return s->key ? s : NULL;
}

void u64map_free(struct u64map *m)
{
  free(m->slots);
  m->slots = NULL;
  m->cap = m->n = 0;
}

void u64map_clear(struct u64map *m)
{
  if(m->cap)
    memset(m->slots, 0, m->cap * sizeof(*m->slots));
  m->n = 0;
}
