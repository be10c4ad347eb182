/* evloop.c - libcurl's socket API on epoll (see evloop.h). */
#include "net/evloop.h"
#include "util/err.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256

struct net_evloop {
  CURLM *multi;
  int epfd;
  double timer_at;        /* when curl wants its timeout call; < 0: never */
  /* per socket number: what epoll watches (0: not registered, else
   * 1 + EPOLLIN/EPOLLOUT bits) and whether curl wants it watched */
  unsigned char *reg, *wanted;
  size_t nfd;
};

static double mono_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Room for socket s in the per-socket arrays. */
static void fit(struct net_evloop *l, curl_socket_t s)
{
  size_t need = (size_t)s + 1;
  if(need <= l->nfd)
    return;
  size_t n = l->nfd ? l->nfd : 64;
  while(n < need)
    n *= 2;
  l->reg = xrealloc(l->reg, n);
  l->wanted = xrealloc(l->wanted, n);
  memset(l->reg + l->nfd, 0, n - l->nfd);
  memset(l->wanted + l->nfd, 0, n - l->nfd);
  l->nfd = n;
}

static void unregister(struct net_evloop *l, curl_socket_t s)
{
  if((size_t)s < l->nfd && l->reg[s]) {
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, s, NULL);
    l->reg[s] = 0;
  }
}

/* curl: watch socket s for `what`, or stop watching it.  A connection goes
 * back to curl's pool after each transfer (REMOVE) and comes back for the
 * next (IN or OUT): so a removed socket stays registered, and leaves epoll
 * only when it stirs while unwanted or when curl closes it (on_close), and
 * a keep-alive request costs no epoll_ctl at all. */
static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp,
                     void *socketp)
{
  struct net_evloop *l = userp;
  (void)easy;
  (void)socketp;
  if(s < 0)
    return 0;
  fit(l, s);
  if(what == CURL_POLL_REMOVE) {
    l->wanted[s] = 0;
    return 0;
  }
  l->wanted[s] = 1;
  unsigned ev_bits = (what & CURL_POLL_IN ? EPOLLIN : 0u) |
                     (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
  unsigned char want = (unsigned char)(1 + ((what & CURL_POLL_IN ? 1 : 0) |
                                            (what & CURL_POLL_OUT ? 2 : 0)));
  if(l->reg[s] == want)
    return 0;
  struct epoll_event ev = {0};
  ev.events = ev_bits;
  ev.data.fd = s;
  int op = l->reg[s] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  if(epoll_ctl(l->epfd, op, s, &ev) != 0)
    epoll_ctl(l->epfd, op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD,
              s, &ev);
  l->reg[s] = want;
  return 0;
}

/* curl closes a socket: it leaves epoll first (its number may come back
 * for another connection). */
static int on_close(void *userp, curl_socket_t s)
{
  struct net_evloop *l = userp;
  unregister(l, s);
  if((size_t)s < l->nfd)
    l->wanted[s] = 0;
  return close(s);
}

void net_evloop_attach(struct net_evloop *l, CURL *easy)
{
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, on_close);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, l);
}

/* curl: call me back in timeout_ms (-1: no timeout wanted). */
static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
  struct net_evloop *l = userp;
  (void)multi;
  l->timer_at = timeout_ms < 0 ? -1 : mono_s() + timeout_ms / 1000.0;
  return 0;
}

struct net_evloop *net_evloop_new(CURLM *multi)
{
  int fd = epoll_create1(EPOLL_CLOEXEC);
  if(fd < 0)
    return NULL;
  struct net_evloop *l = xcalloc(1, sizeof(*l));
  l->multi = multi;
  l->epfd = fd;
  l->timer_at = -1;
  curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
  curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, l);
  curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
  curl_multi_setopt(multi, CURLMOPT_TIMERDATA, l);
  return l;
}

/* Hand curl its timeout call when it is due. */
static void timer_due(struct net_evloop *l)
{
  if(l->timer_at < 0 || l->timer_at > mono_s())
    return;
  int running;
  l->timer_at = -1;
  curl_multi_socket_action(l->multi, CURL_SOCKET_TIMEOUT, 0, &running);
}

void net_evloop_wait(struct net_evloop *l, int max_ms)
{
  int wait = max_ms < 0 ? 0 : max_ms;
  if(l->timer_at >= 0) {
    double d = ceil((l->timer_at - mono_s()) * 1000);
    if(d < wait)
      wait = d < 0 ? 0 : (int)d;
  }
  struct epoll_event ev[MAX_EVENTS];
  int n = epoll_wait(l->epfd, ev, MAX_EVENTS, wait);
  for(int i = 0; i < n; i++) {
    curl_socket_t fd = ev[i].data.fd;
    if((size_t)fd < l->nfd && !l->wanted[fd]) {
      unregister(l, fd);  /* an idle pooled connection stirs: curl will
                             see it when it next uses it */
      continue;
    }
    int what = (ev[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
               (ev[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
               (ev[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
    int running;
    curl_multi_socket_action(l->multi, fd, what, &running);
  }
  timer_due(l);
}

void net_evloop_free(struct net_evloop *l)
{
  if(!l)
    return;
  close(l->epfd);
  free(l->reg);
  free(l->wanted);
  free(l);
}
