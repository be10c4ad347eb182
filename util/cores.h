/* cores.h - how many cores this process may run threads on. */
#ifndef BON_CORES_H
#define BON_CORES_H

/* The online processors, at least 1.  Cannot fail. */
int cores_online(void);

#endif
