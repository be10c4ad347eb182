/* tests/fuzz/serverbody.c - libFuzzer target: every reader of what a
 * server answers, on arbitrary bytes: the generation parser
 * (net_openai_parse, three endpoint kinds, 1 to 4 completions), the
 * reward-model parser (proxy_http_parse, five backends, steps or not),
 * and the error path (net_error_message, net_classify).  The first byte
 * picks the kind, the count and the status; the rest is the body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/client.h"
#include "net/openai.h"
#include "proxy/http_rm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void generation(uint8_t k, const char *body, size_t len)
{
  struct net_completion c[4];
  struct bon_err err;
  size_t n = 1 + ((k >> 2) & 3);
  if(net_openai_parse((enum net_gen_kind)(k % 3), body, len, n, c,
                      &err) == 0)
    for(size_t i = 0; i < n; i++) {
      /* the final text is never NULL, and splits back the same way */
      if(!c[i].text)
        abort();
      struct buf b = BUF_INIT;
      net_join_reasoning(c[i].reasoning, c[i].text, &b);
      char *f, *r;
      net_split_think(buf_str(&b), &f, &r);
      free(f);
      free(r);
      buf_free(&b);
      net_completion_free(&c[i]);
    }
}

static void reward(uint8_t k, const char *body, size_t len)
{
  struct proxy_http_out out[4];
  struct bon_err err;
  size_t n = 1 + ((k >> 3) & 3);
  enum proxy_http_kind kind = (enum proxy_http_kind)(k % 5);
  if(kind == PROXY_HTTP_JUDGE)
    n = 1;
  if(proxy_http_parse(kind, body, len, n, (k & 0x80) ? -1 : 0,
                      (k >> 5) & 1, "min", NULL, 1, out, &err) == 0)
    proxy_http_out_free(out, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size < 1)
    return 0;
  uint8_t k = data[0];
  char *body = malloc(size);
  memcpy(body, data + 1, size - 1);
  body[size - 1] = '\0';
  generation(k, body, size - 1);
  reward(k, body, size - 1);
  struct buf m = BUF_INIT;
  net_error_message(body, size - 1, &m);
  static const long status[8] = {400, 404, 413, 422, 424, 429, 500, 503};
  struct net_verdict v = net_classify(status[k & 7], buf_str(&m));
  if(v.cls == NET_CLASS_OK)
    abort();
  buf_free(&m);
  free(body);
  return 0;
}
