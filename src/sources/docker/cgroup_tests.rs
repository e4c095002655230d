use super::*;
use std::path::Path;

const ID: &str = "cbed9ed54b9b0a6eb3dc2b755b680746a4ab253ee01d0c3b22aabf32743fe583";

/// This machine's layout: v1 controllers each on its own mount, and a v2
/// hierarchy without controllers at /sys/fs/cgroup/unified.
const HYBRID_MOUNTS: &str = "\
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
22 1 8:1 / / rw,relatime - ext4 /dev/vda rw";

fn mount(at: &Path, v2: bool, controllers: &[&str]) -> Mount {
    Mount {
        root: "/".into(),
        at: at.to_path_buf(),
        controllers: controllers.iter().map(|c| c.to_string()).collect(),
        v2,
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("opsdeck-cgroup-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

/// A v2 cgroup directory with its four counter files.
fn write_v2(dir: &Path, cpu_stat: &str, current: &str, stat: &str, max: &str) {
    write(dir, "cpu.stat", cpu_stat);
    write(dir, "memory.current", current);
    write(dir, "memory.stat", stat);
    write(dir, "memory.max", max);
}

#[test]
fn mountinfo_names_each_hierarchy_and_its_controllers() {
    let mounts = parse_mountinfo(HYBRID_MOUNTS);
    assert_eq!(mounts.len(), 5, "{mounts:?}");
    let cpuacct = mounts
        .iter()
        .find(|m| m.controllers == ["cpuacct"])
        .unwrap();
    assert_eq!(cpuacct.at, Path::new("/sys/fs/cgroup/cpuacct"));
    assert!(!cpuacct.v2);
    let unified = mounts.iter().find(|m| m.v2).unwrap();
    assert_eq!(unified.at, Path::new("/sys/fs/cgroup/unified"));
    // name=systemd is a named hierarchy, not a controller.
    assert!(mounts.iter().any(|m| m.controllers.is_empty() && !m.v2));
    // A combined v1 mount lists both controllers; an escaped space is read back.
    let combined = parse_mountinfo(
        "34 25 0:29 / /sys/fs/cgroup/cpu\\040acct rw - cgroup cgroup rw,cpu,cpuacct",
    );
    assert_eq!(combined[0].controllers, ["cpu", "cpuacct"]);
    assert_eq!(combined[0].at, Path::new("/sys/fs/cgroup/cpu acct"));
}

#[test]
fn a_v2_container_reads_cpu_stat_and_memory_without_the_inactive_cache() {
    let root = temp_dir("v2");
    let dir = root.join(format!("system.slice/docker-{ID}.scope"));
    write_v2(
        &dir,
        "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n",
        "10485760\n",
        "anon 4096\nfile 8192\ninactive_file 2097152\nactive_file 1\n",
        "max\n",
    );
    let mounts = [mount(&root, true, &[])];
    let proc_cgroup = format!("0::/system.slice/docker-{ID}.scope\n");
    let paths = locate_in(&mounts, &proc_cgroup, ID).expect("found");
    let files = paths.open().unwrap();
    let c = files.read().unwrap();
    assert_eq!(c.cpu_total, 2_500_000_000, "usage_usec in ns");
    assert_eq!(c.mem_bytes, 10_485_760 - 2_097_152);
    // No limit: the host's memory, as the engine reports it.
    assert_eq!(c.mem_limit, host_memory());
    write(&dir, "memory.max", "536870912\n");
    assert_eq!(files.read().unwrap().mem_limit, 536_870_912);
    // The container stopped: its cgroup is gone (the kernel then fails the
    // reads of files held open: tests/docker_stats.rs checks that).
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(paths.open().is_err());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_hybrid_machine_reads_v1_controllers_even_with_a_v2_line() {
    let root = temp_dir("v1");
    let (cpuacct, memory, unified) = (
        root.join("cpuacct"),
        root.join("memory"),
        root.join("unified"),
    );
    let rel = format!("docker/{ID}");
    write(&cpuacct.join(&rel), "cpuacct.usage", "118386610\n");
    write(
        &memory.join(&rel),
        "memory.stat",
        "cache 1982464\nrss 110592\ninactive_file 100\ntotal_inactive_file 1000\n",
    );
    write(&memory.join(&rel), "memory.usage_in_bytes", "2736128\n");
    write(
        &memory.join(&rel),
        "memory.limit_in_bytes",
        "9223372036854771712\n",
    );
    // The unified hierarchy has the container's directory but no memory controller.
    write(&unified.join(&rel), "cpu.stat", "usage_usec 1\n");
    let mounts = [
        mount(&cpuacct, false, &["cpuacct"]),
        mount(&memory, false, &["memory"]),
        mount(&unified, true, &[]),
    ];
    let proc_cgroup = format!(
        "9:name=systemd:/docker/{ID}\n4:memory:/docker/{ID}\n2:cpuacct:/docker/{ID}\n0::/docker/{ID}\n"
    );
    let c = locate_in(&mounts, &proc_cgroup, ID)
        .unwrap()
        .open()
        .unwrap()
        .read()
        .unwrap();
    assert_eq!(c.cpu_total, 118_386_610, "cpuacct.usage is already ns");
    // v1 takes total_inactive_file, as the docker CLI does there.
    assert_eq!(c.mem_bytes, 2_736_128 - 1000);
    assert_eq!(c.mem_limit, host_memory(), "an unlimited v1 cgroup");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_process_of_another_container_or_machine_is_not_taken() {
    let root = temp_dir("other");
    let mounts = [mount(&root, true, &[])];
    write(&root.join("user.slice"), "memory.current", "1\n");
    // The pid belongs to something else: its cgroup does not name the id.
    assert_eq!(locate_in(&mounts, "0::/user.slice\n", ID), None);
    // No cgroup mounts at all (another OS, a locked-down sandbox).
    assert_eq!(locate_in(&[], &format!("0::/docker/{ID}\n"), ID), None);
    // Nonsense in the file reads as nothing.
    assert_eq!(locate_in(&mounts, "garbage\n\n::\n", ID), None);
    // A pid the engine reports for a stopped container.
    assert!(locate(0, ID).is_none());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_mount_that_shows_part_of_the_hierarchy_is_joined_below_its_root() {
    let root = temp_dir("nested");
    let dir = root.join(format!("docker-{ID}.scope"));
    write_v2(
        &dir,
        "usage_usec 7\n",
        "100\n",
        "inactive_file 0\n",
        "max\n",
    );
    let mounts = [Mount {
        root: "/system.slice".into(),
        ..mount(&root, true, &[])
    }];
    let proc_cgroup = format!("0::/system.slice/docker-{ID}.scope\n");
    let c = locate_in(&mounts, &proc_cgroup, ID)
        .unwrap()
        .open()
        .unwrap()
        .read()
        .unwrap();
    assert_eq!((c.cpu_total, c.mem_bytes), (7_000, 100));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn garbage_in_a_counter_file_is_an_error_not_a_zero() {
    let root = temp_dir("garbage");
    let dir = root.join(format!("docker/{ID}"));
    write_v2(&dir, "usage_usec lots\n", "100\n", "", "max\n");
    let paths = locate_in(&[mount(&root, true, &[])], &format!("0::/docker/{ID}"), ID).unwrap();
    assert!(paths.open().unwrap().read().is_err());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn reads_line_up_on_a_shared_grid_at_least_half_a_period_apart() {
    use std::time::Duration;
    let origin = Instant::now();
    let every = Duration::from_secs(3);
    let ms = Duration::from_millis;
    // Rows that last read at different moments wake together.
    assert_eq!(
        beat_after(origin, origin + ms(100), every),
        origin + ms(3000)
    );
    assert_eq!(
        beat_after(origin, origin + ms(1400), every),
        origin + ms(3000)
    );
    // Just before a beat: the one after, not a reading 10 ms later.
    assert_eq!(
        beat_after(origin, origin + ms(2990), every),
        origin + ms(6000)
    );
    // Exactly half a period before one is still that one.
    assert_eq!(
        beat_after(origin, origin + ms(1500), every),
        origin + ms(3000)
    );
}
