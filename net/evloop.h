/* evloop.h - the event loop under net/client.c: libcurl's socket API on
 * epoll (internal to net/).
 *
 * curl tells which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when it
 * wants to be called for its timeouts (CURLMOPT_TIMERFUNCTION); a wait
 * sleeps in epoll_wait until one of those sockets is ready or the timer is
 * due, then hands curl exactly the sockets that are ready
 * (curl_multi_socket_action).  A wake-up costs in proportion to what
 * happened, not to the number of open connections. */
#ifndef BON_NET_EVLOOP_H
#define BON_NET_EVLOOP_H

#include <curl/curl.h>

struct net_evloop;

/* A loop driving `multi` (its socket and timer callbacks are set here).
 * NULL when epoll is not available. */
struct net_evloop *net_evloop_new(CURLM *multi);
/* Let the loop know when curl closes a socket of this handle's
 * connections (set on every easy handle used with the loop). */
void net_evloop_attach(struct net_evloop *l, CURL *easy);
/* Wait at most max_ms (0: do not sleep) for a watched socket or curl's
 * timer, then let curl act on what is ready (finished transfers are then
 * in curl_multi_info_read). */
void net_evloop_wait(struct net_evloop *l, int max_ms);
/* Free the loop: after curl_multi_cleanup (which still closes pooled
 * connections through it). */
void net_evloop_free(struct net_evloop *l);

#endif
