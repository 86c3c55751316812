/* Unit tests for init/mount_table.c: the table build.py writes, each field's
 * checks (a format job as host root, a disk without nodev/nosuid, paths that
 * could walk anywhere), and bad lines skipped with FILE:LINE: reason. */
#include "../../init/mount_table.h"
#include "tap.h"

#include <string.h>
#include <sys/mount.h>

static char bad_msg[8][400];
static unsigned n_bad;

static void on_bad(const char *msg, void *ctx)
{
	(void)ctx;
	if (n_bad < 8)
		snprintf(bad_msg[n_bad], sizeof(bad_msg[0]), "%s", msg);
	n_bad++;
}

static struct mount_table t;

static unsigned parse(const char *text)
{
	n_bad = 0;
	return mount_table_parse(text, strlen(text), "mounts", &t, on_bad, NULL);
}

static void test_good(void)
{
	unsigned bad = parse("# keel mount table\n"
			     "disk /dev/vda /data ext4 nodev,nosuid,noexec 716015264:716015265\n"
			     "\n  dir /data/log 0 0 0750\n"
			     "dir\t/run/resolv\t67\t67\t755\n");

	CHECK(bad == 0 && t.disk.present, "the image's table parses");
	CHECK(!strcmp(t.disk.device, "/dev/vda") && !strcmp(t.disk.target, "/data") &&
		  !strcmp(t.disk.fstype, "ext4"),
	      "disk device, mount point, type");
	CHECK(t.disk.flags == (MS_NODEV | MS_NOSUID | MS_NOEXEC), "options -> MS_ flags");
	CHECK(t.disk.format && t.disk.format_uid == 716015264 && t.disk.format_gid == 716015265,
	      "format job owner uid:gid");
	CHECK(t.n_dir == 2 && !strcmp(t.dir[0].path, "/data/log") && t.dir[0].mode == 0750 &&
		  t.dir[1].uid == 67 && t.dir[1].gid == 67 && t.dir[1].mode == 0755,
	      "dir lines: path, owner, octal mode; tabs separate too");
	CHECK(parse("disk /dev/vdb /srv ext4 nosuid,nodev -\n") == 0 && t.disk.present &&
		  !t.disk.format && t.n_dir == 0,
	      "'-': a disk without a format job");
	CHECK(parse("") == 0 && !t.disk.present && t.n_dir == 0, "an empty table");
}

static void test_bad(void)
{
	static const struct {
		const char *line, *why;
	} cases[] = {
	    {"disk /dev/vda /data ext4 nodev,nosuid 0:0", "host uid 0"},
	    {"disk /dev/vda /data ext4 nodev,nosuid 5:0", "host uid 0"},
	    {"disk /dev/vda /data ext4 nodev 5:5", "nodev and nosuid"},
	    {"disk /dev/vda /data ext4 nodev,nosuid,suid 5:5", "unknown option"},
	    {"disk /dev/vda /data xfs nodev,nosuid 5:5", "ext4"},
	    {"disk /dev/../sda /data ext4 nodev,nosuid 5:5", "a-z and 0-9"},
	    {"disk /etc/shadow /data ext4 nodev,nosuid 5:5", "/dev/NAME"},
	    {"disk /dev/vda data ext4 nodev,nosuid 5:5", "absolute"},
	    {"disk /dev/vda /data/../etc ext4 nodev,nosuid 5:5", "'..'"},
	    {"disk /dev/vda /data ext4 nodev,nosuid 5", "UID:GID"},
	    {"disk /dev/vda /data ext4 nodev,nosuid", "want: disk"},
	    {"dir /data/x 1 1 4755", "setuid"},
	    {"dir /data/x 1 1 0789", "octal"},
	    {"dir /data/x -1 1 0700", "not a number"},
	    {"dir /data/x 1 1 0700 extra", "want: dir"},
	    {"dir / 1 1 0700", "absolute path below /"},
	    {"dir /data//x 1 1 0700", "'..'"},
	    {"dir /data/x/ 1 1 0700", "'..'"},
	    {"mount /a /b", "unknown line kind"},
	    {"image serial:keel-containerd /system/c ext4 containerd", "squashfs"},
	    {"image serial: /system/c squashfs containerd", "empty serial"},
	    {"image serial:a/b /system/c squashfs containerd", "serial may hold"},
	    {"image serial:123456789012345678901 /system/c squashfs c", "20 bytes"},
	    {"image /dev/../vdb /system/c squashfs containerd", "a-z and 0-9"},
	    {"image /etc/x.img /system/c squashfs containerd", "/dev/NAME"},
	    {"image /dev/vdb system/c squashfs containerd", "absolute"},
	    {"image /dev/vdb /system/../etc squashfs containerd", "'..'"},
	    {"image /dev/vdb /system/c squashfs -containerd", "service name"},
	    {"image /dev/vdb /system/c squashfs ..", "service name"},
	    {"image /dev/vdb /system/c squashfs", "want: image"},
	    {"image", "want: image"},
	    {"image /dev/vdb /system/c squashfs c extra", "want: image"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[400];

		snprintf(text, sizeof(text), "dir /a 1 1 0700\n%s\ndir /b 2 2 0700\n",
			 cases[i].line);
		parse(text);
		CHECK(n_bad == 1 && strstr(bad_msg[0], "mounts:2: ") == bad_msg[0] &&
			  strstr(bad_msg[0], cases[i].why) && t.n_dir == 2,
		      "'%s' rejected as line 2 (%s); the lines around it kept", cases[i].line,
		      n_bad ? bad_msg[0] : "not rejected");
	}
	CHECK(
	    parse("disk /dev/vda /a ext4 nodev,nosuid -\ndisk /dev/vdb /b ext4 nodev,nosuid -\n") ==
		    1 &&
		!strcmp(t.disk.device, "/dev/vda") && strstr(bad_msg[0], "second disk"),
	    "a second disk line is rejected, the first kept");
}

static void test_images(void)
{
	char text[2048] = "";

	CHECK(parse("image serial:keel-containerd /system/containerd squashfs containerd\n"
		    "image /dev/vdc /system/big squashfs big-svc\n") == 0 &&
		  t.n_image == 2,
	      "two image lines parse");
	CHECK(!strcmp(t.image[0].device, "serial:keel-containerd") &&
		  !strcmp(t.image[0].serial, "keel-containerd") &&
		  !strcmp(t.image[0].target, "/system/containerd") &&
		  !strcmp(t.image[0].service, "containerd"),
	      "serial:SERIAL: device as written, the serial, mount point, service");
	CHECK(!strcmp(t.image[1].device, "/dev/vdc") && t.image[1].serial[0] == '\0' &&
		  !strcmp(t.image[1].service, "big-svc"),
	      "/dev/NAME: no serial");
	CHECK(parse("image /dev/vdb /system/a squashfs a\nimage /dev/vdc /system/a squashfs b\n"
		    "image /dev/vdd /system/c squashfs a\n") == 2 &&
		  t.n_image == 1 && strstr(bad_msg[0], "mounts:2: a second image") &&
		  strstr(bad_msg[1], "mounts:3: a second image"),
	      "a second image for one mount point or one service is rejected");
	for (int i = 0; i < MT_IMAGES_MAX + 1; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "image /dev/vd%c /system/s%d squashfs s%d\n", 'b' + i, i, i);
	CHECK(parse(text) == 1 && t.n_image == MT_IMAGES_MAX && strstr(bad_msg[0], "too many"),
	      "at most %d image lines", MT_IMAGES_MAX);
}

int main(void)
{
	test_good();
	test_bad();
	test_images();
	return TAP_DONE();
}
