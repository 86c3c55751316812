# Records from `keelctl logs -f --all` are "NAME: text". Appends
# "YYYY-MM-DDTHH:MM:SS text" (UTC) to dir/NAME.log; rotation at max bytes
# keeps one older file, NAME.log.1.
function opened(f,    n, cmd) {
	if (f in size)
		return
	n = 0
	cmd = "wc -c 2>/dev/null <" f
	if ((cmd | getline n) <= 0)
		n = 0
	close(cmd)
	size[f] = n + 0
}

{
	i = index($0, ": ")
	name = substr($0, 1, i - 1)
	if (i < 2 || name !~ /^[A-Za-z0-9][A-Za-z0-9._-]*$/)
		next
	f = dir "/" name ".log"
	line = strftime("%Y-%m-%dT%H:%M:%S") " " substr($0, i + 2)
	opened(f)
	if (size[f] + length(line) + 1 > max) {
		close(f)
		system("mv -f " f " " f ".1")
		size[f] = 0
	}
	print line >> f
	fflush(f)
	size[f] += length(line) + 1
	if (systime() - synced >= every) {
		system("sync")
		synced = systime()
	}
}
