/* Finds every event device whose input name is "Power Button" (ACPI may
 * register a fixed and a PNP0C0C button) and watches each in the loop. */
#include "powerbutton.h"
#include "io.h"
#include "log.h"
#include "loop.h"
#include "power.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/input.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <string.h>
#include <unistd.h>

#define INPUT_CLASS "/sys/class/input"
#define MAX_BUTTONS 4

static struct loop_watch buttons[MAX_BUTTONS];
static size_t nbuttons;

static void button_ready(struct loop_watch *w, uint32_t events)
{
	struct input_event ev[16];
	ssize_t n;

	(void)events;
	while ((n = read(w->fd, ev, sizeof(ev))) > 0)
		for (size_t i = 0; i < (size_t)n / sizeof(ev[0]); i++)
			if (ev[i].type == EV_KEY && ev[i].code == KEY_POWER && ev[i].value == 1)
				power_request(POWER_POWEROFF);
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		log_warn("power button: read: %m; no longer watched");
		loop_del(w);
		close(w->fd);
		w->fd = -1;
	}
}

static bool is_power_button(const char *event)
{
	char path[PATH_MAX], name[64];

	snprintf(path, sizeof(path), INPUT_CLASS "/%s/device/name", event);
	return read_file(path, name, sizeof(name)) > 0 && strcmp(name, "Power Button\n") == 0;
}

static void button_open(const char *event)
{
	char dev[PATH_MAX];
	struct loop_watch *w = &buttons[nbuttons];
	int r;

	snprintf(dev, sizeof(dev), "/dev/input/%s", event);
	w->fd = open(dev, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0) {
		log_warn("unable to open power button %s: %m", dev);
		return;
	}
	w->on_ready = button_ready;
	if ((r = loop_add(w, EPOLLIN)) < 0) {
		log_warn("unable to watch power button %s: %s", dev, strerror(-r));
		close(w->fd);
		return;
	}
	nbuttons++;
	log_debug("watching power button %s", dev);
}

void powerbutton_watch(const struct init_config *cfg)
{
	DIR *d;
	struct dirent *e;

	if (!init_is_machine(cfg))
		return;
	if (!(d = opendir(INPUT_CLASS))) {
		log_warn("no %s (%m): the power button is not watched", INPUT_CLASS);
		return;
	}
	while ((e = readdir(d)) != NULL && nbuttons < MAX_BUTTONS)
		if (strncmp(e->d_name, "event", 5) == 0 && is_power_button(e->d_name))
			button_open(e->d_name);
	closedir(d);
	if (nbuttons == 0)
		log_warn("no power button found (load evdev and button): ACPI poweroff ignored");
}
