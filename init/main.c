/* keel's PID 1. main() is the boot sequence as a list of named phases
 * (docs/init.md); then the one event loop runs forever. PID 1 never returns
 * from main: on the machine the kernel would panic. keelctl is this same
 * binary under another name. */
#include "boottime.h"
#include "cgroup_root.h"
#include "cmdline.h"
#include "console.h"
#include "control.h"
#include "datadisk.h"
#include "detect.h"
#include "diskwork.h"
#include "io.h"
#include "keelctl.h"
#include "log.h"
#include "loop.h"
#include "modules.h"
#include "mounts.h"
#include "netlo.h"
#include "power.h"
#include "powerbutton.h"
#include "reap.h"
#include "service.h"
#include "shell.h"
#include "shutdown.h"
#include "signals.h"
#include "supervisor.h"
#include "switch_root.h"
#include "sysctl_conf.h"

#include <string.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* argv first (it may say keel.container=1), then /proc/cmdline on the
 * machine (the kernel keeps dotted keel.* words out of argv), then argv again
 * so an explicit argument wins; argv warnings are printed once. */
static void config_from_argv(struct init_config *cfg, int argc, char **argv)
{
	cmdline_defaults(cfg);
	cmdline_apply_argv(cfg, argc, argv);
	detect_runtime(cfg);
	log_setup("keel", cfg->debug ? LOG_DEBUG : LOG_INFO, STDERR_FILENO);
}

static void config_from_kernel(struct init_config *cfg, int argc, char **argv)
{
	char text[4096];
	struct kerr ignored;
	ssize_t n;

	if (!init_is_machine(cfg))
		return;
	if ((n = read_file("/proc/cmdline", text, sizeof(text))) < 0) {
		log_warn("unable to read /proc/cmdline: %s", strerror((int)-n));
		return;
	}
	cmdline_apply_text(cfg, text);
	for (int i = 1; i < argc; i++)
		(void)cmdline_apply_word(cfg, argv[i], &ignored); /* already reported */
	log_setup("keel", cfg->debug ? LOG_DEBUG : LOG_INFO, STDERR_FILENO);
}

static void early_mounts(const struct init_config *cfg)
{
	if (!cfg->pid1)
		log_warn("not PID 1: no mounts, no reaping of orphans");
	else if (!init_is_machine(cfg) && !detect_own_mount_ns())
		log_warn("PID namespace without its own mount namespace: no mounts");
	else
		mounts_early(cfg);
}

extern char **environ;

/* The machine's init gets whatever the kernel passed (HOME, TERM and every
 * unknown name=value word of the command line); its children get a fixed,
 * documented environment instead. */
static void machine_environment(const struct init_config *cfg)
{
	static char path[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	static char home[] = "HOME=/", term[] = "TERM=linux";
	static char *env[] = {path, home, term, NULL};

	if (init_is_machine(cfg))
		environ = env;
}

static void machine_setup(const struct init_config *cfg)
{
	umask(022);
	machine_environment(cfg);
	netlo_setup(cfg);
	boottime_mark(BM_LOOPBACK);
	modules_load(cfg);
	boottime_mark(BM_MODULES);
	sysctl_conf_apply(cfg); /* kernel knobs before any service starts */
	cgroup_root_setup(cfg);
	boottime_mark(BM_CGROUPS);
	/* ctrl-alt-del then sends SIGINT to PID 1 instead of rebooting at once. */
	if (init_is_machine(cfg) && reboot(RB_DISABLE_CAD) < 0)
		log_warn("unable to take over ctrl-alt-del: %m");
}

/* Many services, followers and pipes: take the hard limit (capped) so EMFILE
 * stays a remote case; control.c and spawn paths still survive it. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	rl.rlim_cur = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		log_warn("unable to raise RLIMIT_NOFILE: %m");
}

static int64_t earliest(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	return b < 0 || a < b ? a : b;
}

static void run_timers(void)
{
	int64_t now = now_ms(), sup = supervisor_deadline(), disk = diskwork_deadline();

	if (disk >= 0 && now >= disk)
		diskwork_tick(now);
	control_tick(now);
	if (sup >= 0 && now >= sup)
		supervisor_tick(now);
	shell_tick(now);
	console_tick(now);
	shutdown_step(now);
}

static __attribute__((noreturn)) void main_loop(void)
{
	for (;;) {
		int64_t d = earliest(earliest(supervisor_deadline(), shutdown_deadline()),
				     diskwork_deadline());

		loop_run_once(earliest(earliest(d, shell_deadline()),
				       earliest(console_deadline(), control_deadline())));
		run_timers();
	}
}

/* No epoll or signalfd: still reap, still honour power signals and run the
 * shutdown path; services are not started. */
static __attribute__((noreturn)) void emergency_loop(const struct init_config *cfg, int err)
{
	log_err("unable to set up the event loop: %s; emergency mode, no services", strerror(-err));
	shell_start(cfg);
	for (;;) {
		signals_wait_fallback(100);
		reap_children();
		run_timers();
	}
}

static void required_onboot_failed(void)
{
	power_request(POWER_POWEROFF);
}

/* Who started which child: a reaped pid is offered in this order. */
static const reap_owner child_owners[] = {
    supervisor_child_exited,
    shell_child_exited,
    shutdown_child_exited,
    diskwork_child_exited,
};

/* main is the one place that knows every layer: it wires the supervisor's
 * hooks to init core. */
static const struct init_config *main_cfg; /* for the hooks below */

static void boot_complete(void)
{
	boottime_mark(BM_READY);
	init_boot_complete();
}

static const struct datadisk_hooks datadisk_hooks = {
    .release = supervisor_release,
    .hold = supervisor_hold,
};

/* The gates: the data disk probed before its format job (an onboot job);
 * mounted, with the system images, after it and before any service. */
static bool onboot_begin(void)
{
	return !datadisk_prepare(main_cfg, &datadisk_hooks);
}

static bool onboot_done(void)
{
	return !datadisk_mount();
}

static void unit_changed(const struct service *s)
{
	boottime_service(s, s->state);
}

static const struct supervisor_hooks supervisor_hooks = {
    .boot_complete = boot_complete,
    .boot_stuck = init_boot_stuck,
    .required_failed = required_onboot_failed,
    .onboot_begin = onboot_begin,
    .onboot_done = onboot_done,
    .unit_changed = unit_changed,
};

int main(int argc, char **argv)
{
	static struct init_config cfg;
	const char *arg0 = argc > 0 && argv[0] ? argv[0] : "init";
	const char *name = strrchr(arg0, '/');
	int r;

	if (strcmp(name ? name + 1 : arg0, "keelctl") == 0)
		return keelctl_main(argc, argv);
	console_guard_stdio();
	log_set_timestamps(1);
	config_from_argv(&cfg, argc, argv);
	boottime_start(init_is_machine(&cfg));
	if (init_is_machine(&cfg))
		switch_root_if_initramfs();
	boottime_mark(BM_SWITCH_ROOT);
	reap_set_owners(child_owners, sizeof(child_owners) / sizeof(child_owners[0]));
	if ((r = signals_block()) < 0)
		log_err("unable to block signals: %s", strerror(-r));
	early_mounts(&cfg);
	console_setup(&cfg);
	config_from_kernel(&cfg, argc, argv);
	log_info("starting (specdir %s%s)", cfg.specdir, cfg.in_container ? ", container" : "");
	boottime_mark(BM_MOUNTS);
	if (cfg.logdir[0]) /* PID 1 does no disk I/O: the logwrite service persists logs */
		log_warn("keel.logdir=%s is ignored: persistent logs are the %s service's job",
			 cfg.logdir, LOG_WRITER_SERVICE);
	raise_fd_limit();
	machine_setup(&cfg);
	power_setup(&cfg);
	if ((r = loop_init()) < 0 || (r = signals_watch()) < 0)
		emergency_loop(&cfg, r);
	console_loop_ready();
	powerbutton_watch(&cfg);
	main_cfg = &cfg;
	supervisor_start(&cfg, &supervisor_hooks);
	ctl_set_power_hook(power_request);
	service_set_log_listener(control_log_appended); /* keelctl logs -f */
	if ((r = control_start()) < 0)
		log_err("control socket %s: %s (keelctl unavailable)", CONTROL_SOCK, strerror(-r));
	main_loop();
}
