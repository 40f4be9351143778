//! A throwaway PostgreSQL cluster of the test process's own: `initdb` in a temporary folder,
//! the server on a free loopback port, and nothing left behind. No system service is used.
//!
//! Written here rather than taken from a crate: the ones on crates.io (`pgtemp`,
//! `postgresql_embedded`) either download PostgreSQL or run `initdb` as the current user, and
//! on these machines the tests run as root, which `initdb` refuses. So the cluster runs as the
//! `postgres` user (through `runuser`) when the tests run as root.
//!
//! A small shell supervisor owns the server: when the test process is gone (however it ended,
//! even by SIGKILL), it stops PostgreSQL and deletes the folder. Test binaries never run
//! destructors of statics, so this is what makes [`shared`] clean up.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A running cluster. Dropping it stops the server and deletes its folder.
pub struct Cluster {
    port: u16,
    bin: PathBuf,
    data: PathBuf,
    /// With TLS: the CA certificate (PEM) that signed the server's.
    ca: Option<PathBuf>,
    supervisor: Child,
}

/// How the cluster trades safety for speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// `fsync=off`: for tests, where a power cut is not the question.
    Fast,
    /// PostgreSQL's defaults (every commit reaches the disk): for the benchmark, so the figures
    /// compare with SQLite's `synchronous=FULL`.
    Full,
}

impl Cluster {
    /// Initialises and starts a cluster. Fails with a message that says what is missing.
    pub fn start(durability: Durability) -> Result<Cluster, String> {
        Cluster::start_with(durability, false)
    }

    /// A cluster that also speaks TLS, with a certificate for 127.0.0.1 signed by a CA of its
    /// own ([`Cluster::ca`]), made with the `openssl` command.
    pub fn start_tls(durability: Durability) -> Result<Cluster, String> {
        Cluster::start_with(durability, true)
    }

    fn start_with(durability: Durability, tls: bool) -> Result<Cluster, String> {
        let bin = bin_dir()?;
        let root =
            std::env::temp_dir().join(format!("tilmelding-pg-{}-{}", std::process::id(), unique()));
        std::fs::create_dir(&root).map_err(|e| format!("{}: {e}", root.display()))?;
        let ca = if tls {
            Some(certificates(&root)?)
        } else {
            None
        };
        if is_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&root)
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err("no `postgres` user to run the cluster as (install Debian's `postgresql` package)".into());
            }
        }
        let data = root.join("data");
        let out = as_postgres(&bin.join("initdb"))
            .args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "-D",
            ])
            .arg(&data)
            .output()
            .map_err(|e| format!("initdb: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let port = free_port()?;
        let mut settings = vec![
            "listen_addresses=127.0.0.1".to_owned(),
            format!("port={port}"),
            format!("unix_socket_directories={}", root.display()),
            "max_connections=200".to_owned(),
        ];
        if tls {
            settings.extend([
                "ssl=on".to_owned(),
                format!("ssl_cert_file={}", root.join("server.crt").display()),
                format!("ssl_key_file={}", root.join("server.key").display()),
            ]);
        }
        if durability == Durability::Fast {
            settings.extend(
                [
                    "fsync=off",
                    "synchronous_commit=off",
                    "full_page_writes=off",
                ]
                .map(String::from),
            );
        }
        let postgres = std::iter::once(shell_quote(&bin.join("postgres").to_string_lossy()))
            .chain(["-D".to_owned(), shell_quote(&data.to_string_lossy())])
            .chain(
                settings
                    .iter()
                    .flat_map(|s| ["-c".to_owned(), shell_quote(s)]),
            )
            .collect::<Vec<_>>()
            .join(" ");
        // The supervisor: runs the server until the owner (this process) is gone or the server
        // stops, then stops it (fast shutdown) and deletes the folder.
        let script = format!(
            "{postgres} >{log} 2>&1 & pg=$!
             while [ -d /proc/{owner} ] && kill -0 $pg 2>/dev/null; do sleep 0.2; done
             kill -INT $pg 2>/dev/null; wait $pg; rm -rf {root}",
            log = shell_quote(&root.join("log").to_string_lossy()),
            owner = std::process::id(),
            root = shell_quote(&root.to_string_lossy()),
        );
        let supervisor = as_postgres(Path::new("sh"))
            .args(["-c", &script])
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting postgres: {e}"))?;
        let mut cluster = Cluster {
            port,
            bin,
            data,
            ca,
            supervisor,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = Command::new(cluster.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return Ok(cluster);
            }
            if let Ok(Some(status)) = cluster.supervisor.try_wait() {
                return Err(format!(
                    "postgres stopped at start ({status}); see its log in {}",
                    root.display()
                ));
            }
            if Instant::now() > deadline {
                return Err("postgres did not accept connections within 30 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The CA certificate (PEM) of a cluster started with [`Cluster::start_tls`].
    pub fn ca(&self) -> Option<&Path> {
        self.ca.as_deref()
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A new, empty database; returns its URL.
    pub fn database(&self) -> String {
        let name = format!("t{}_{}", std::process::id(), unique());
        let out = Command::new(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                &name,
            ])
            .output()
            .expect("createdb runs");
        assert!(
            out.status.success(),
            "createdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.url(&name)
    }

    /// The URL of a database in this cluster.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Runs SQL through `psql` and returns its unaligned output, trimmed.
    pub fn psql(&self, url: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                url,
                "-c",
                sql,
            ])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // A fast shutdown; the supervisor then sees the server gone and deletes the folder.
        let _ = as_postgres(&self.bin.join("pg_ctl"))
            .args(["stop", "-m", "fast", "-D"])
            .arg(&self.data)
            .output();
        let _ = self.supervisor.wait();
    }
}

/// Writes a CA and a server certificate for 127.0.0.1 signed by it into `dir`; returns the
/// CA's path. Elliptic-curve keys: made in milliseconds.
fn certificates(dir: &Path) -> Result<PathBuf, String> {
    let openssl = |args: &[&str]| -> Result<(), String> {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .map_err(|e| format!("openssl: {e} (install Debian's openssl)"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    let key = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"],
            &key[..],
            &[
                "-days",
                "2",
                "-subj",
                "/CN=tilmelding test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
            ],
        ]
        .concat(),
    )?;
    openssl(
        &[
            &["req"],
            &key[..],
            &[
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
            ],
        ]
        .concat(),
    )?;
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .map_err(|e| e.to_string())?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.crt",
    ])?;
    // PostgreSQL refuses a key others may read.
    std::fs::set_permissions(
        dir.join("server.key"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .map_err(|e| e.to_string())?;
    Ok(dir.join("ca.pem"))
}

/// One cluster for the whole test process, started on first use.
pub fn shared() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        Cluster::start(Durability::Fast).unwrap_or_else(|e| panic!("PostgreSQL for the tests: {e}"))
    })
}

/// PostgreSQL's programs: `$PG_BIN`, or the newest `/usr/lib/postgresql/N/bin`.
fn bin_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        return Ok(dir.into());
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| {
            "PostgreSQL is not installed (/usr/lib/postgresql); `make test-tools` installs it"
                .to_owned()
        })?
        .filter_map(|e| {
            let e = e.ok()?;
            let v = e.file_name().to_str()?.parse().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no PostgreSQL server binaries under /usr/lib/postgresql".into())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// A command run as the `postgres` user when we are root (`initdb` refuses root).
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A number not used before in this process.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
