// SPDX-License-Identifier: GPL-2.0
/*
 * shim_socket.c: kernel sockets of the socket module (socket.rs), in the
 * initial network namespace. Addresses cross as bytes (a sockaddr that Rust
 * built or reads); every call here returns at once or blocks as the socket's
 * flags say: socket.rs makes the blocking calls non-blocking and waits with
 * lk_sock_wait() in slices, so that a stop ends a wait.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/socket.h>
#include <linux/sockptr.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "lunatik_rs.h"

static_assert(LK_SOCKADDR_SIZE == sizeof(struct sockaddr_storage));

int lk_sock_create(int family, int type, int proto, struct socket **out)
{
	return sock_create_kern(&init_net, family, type, proto, out);
}

/* Shuts both directions down (waking every waiter) and frees the socket. */
void lk_sock_release(struct socket *sock)
{
	kernel_sock_shutdown(sock, SHUT_RDWR);
	sock_release(sock);
}

int lk_sock_bind(struct socket *sock, const void *addr, int len)
{
	return kernel_bind(sock, (struct sockaddr *)addr, len);
}

int lk_sock_listen(struct socket *sock, int backlog)
{
	return kernel_listen(sock, backlog);
}

int lk_sock_accept(struct socket *sock, struct socket **out, int flags)
{
	return kernel_accept(sock, out, flags);
}

int lk_sock_connect(struct socket *sock, const void *addr, int len, int flags)
{
	return kernel_connect(sock, (struct sockaddr *)addr, len, flags);
}

/* Sends len bytes, to addr if addrlen > 0; returns the bytes sent. */
int lk_sock_send(struct socket *sock, const void *buf, size_t len,
		 const void *addr, int addrlen, int flags)
{
	struct kvec vec = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = {
		.msg_name = addrlen > 0 ? (void *)addr : NULL,
		.msg_namelen = addrlen > 0 ? addrlen : 0,
		.msg_flags = flags,
	};

	return kernel_sendmsg(sock, &msg, &vec, 1, len);
}

/*
 * Receives up to len bytes; the sender's address goes to addr
 * (LK_SOCKADDR_SIZE bytes), its length to *addrlen (0: none given).
 */
int lk_sock_recv(struct socket *sock, void *buf, size_t len, int flags,
		 void *addr, int *addrlen)
{
	struct kvec vec = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {
		.msg_name = addr,
		.msg_namelen = LK_SOCKADDR_SIZE,
	};
	int ret;

	memset(addr, 0, LK_SOCKADDR_SIZE);
	ret = kernel_recvmsg(sock, &msg, &vec, 1, len, flags);
	*addrlen = ret >= 0 ? msg.msg_namelen : 0;
	return ret;
}

/*
 * setsockopt with a kernel buffer: SOL_SOCKET by the core, other levels by
 * the protocol (-EOPNOTSUPP when it has no handler, as 6.7+ answers).
 */
int lk_sock_setsockopt(struct socket *sock, int level, int name,
		       const void *val, unsigned int len)
{
	sockptr_t optval = KERNEL_SOCKPTR((void *)val);

	if (level == SOL_SOCKET)
		return sock_setsockopt(sock, level, name, optval, len);
	if (!sock->ops->setsockopt)
		return -EOPNOTSUPP;
	return sock->ops->setsockopt(sock, level, name, optval, len);
}

/* The socket's own (peer false) or peer's address; returns its length. */
int lk_sock_name(struct socket *sock, bool peer, void *addr)
{
	memset(addr, 0, LK_SOCKADDR_SIZE);
	if (peer)
		return kernel_getpeername(sock, addr);
	return kernel_getsockname(sock, addr);
}

/* SO_RCVTIMEO (send false) or SO_SNDTIMEO in milliseconds; -1: none. */
long lk_sock_timeout(struct socket *sock, bool send)
{
	long t = send ? READ_ONCE(sock->sk->sk_sndtimeo) :
			READ_ONCE(sock->sk->sk_rcvtimeo);
	u64 ms;

	if (t == MAX_SCHEDULE_TIMEOUT)
		return -1;
	ms = jiffies64_to_msecs(t);
	return ms > LONG_MAX ? LONG_MAX : ms;
}

/*
 * Waits at most *ms milliseconds until the socket is readable (events
 * LK_SOCK_READ) or writable (LK_SOCK_WRITE), or has an error or hang-up;
 * with events 0, only sleeps (woken early by the socket's wake-ups).
 * Returns 1 when it is ready, 0 after the time, -EINTR for a signal or a
 * kthread_stop() (whose wake-up ends the sleep); *ms becomes the time left.
 * poll is called without a file or a poll table: only to read the mask.
 */
int lk_sock_wait(struct socket *sock, unsigned int events, long *ms)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	__poll_t want = EPOLLERR | EPOLLHUP;
	unsigned long start = jiffies;
	long timeo = msecs_to_jiffies(*ms);
	unsigned int spent;
	int ret;

	if (events & LK_SOCK_READ)
		want |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (events & LK_SOCK_WRITE)
		want |= EPOLLOUT | EPOLLWRNORM;
	add_wait_queue(&sock->wq.wait, &wait);
	for (;;) {
		if (events && (sock->ops->poll(NULL, sock, NULL) & want)) {
			ret = 1;
			break;
		}
		if (signal_pending(current) ||
		    ((current->flags & PF_KTHREAD) && kthread_should_stop())) {
			ret = -EINTR;
			break;
		}
		if (!timeo) {
			ret = 0;
			break;
		}
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		if (!events && timeo) {
			/* A nap ends at the first wake-up. */
			ret = 0;
			break;
		}
	}
	remove_wait_queue(&sock->wq.wait, &wait);
	spent = jiffies_to_msecs(jiffies - start);
	*ms = spent >= *ms ? 0 : *ms - spent;
	return ret;
}
