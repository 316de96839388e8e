/**
 * The throw-away Dovecot and Postfix configuration files of one mail-servers instance (see
 * index.ts for the layout and the reasons). Pure functions: paths, ports and ids in, text out.
 */
import path from 'node:path';

export interface InstancePaths {
  /** The instance's temp dir (mode 0711: the postfix, dovecot and mail users traverse it). */
  root: string;
  dovecotConf: string;
  /** Dovecot base_dir: master.pid, the login/auth/lmtp sockets. */
  dovecotBase: string;
  dovecotState: string;
  dovecotLog: string;
  /** Directory of the users' passwd-files, one per address (passdb and userdb). */
  users: string;
  /** Mail homes: <mail>/<domain>/<local part>/Maildir, owned by the `mail` user. */
  mail: string;
  /** Dovecot sockets that Postfix uses (absolute paths, Postfix runs without chroot). */
  authSocket: string;
  lmtpSocket: string;
  postfixConfig: string;
  postfixQueue: string;
  postfixData: string;
  postfixLog: string;
  /** Postfix's list of known recipients (text; `postmap` builds the .db next to it). */
  recipients: string;
}

export interface InstancePorts {
  imaps: number;
  imap: number;
  smtp: number;
  smtps: number;
}

export interface InstanceIdentity {
  /** Short unique id of the instance: Dovecot's instance_name, Postfix's syslog_name. */
  id: string;
  domain: string;
  certPath: string;
  keyPath: string;
  /** uid/gid that owns every mailbox (Debian's `mail` user). */
  mailUid: number;
  mailGid: number;
}

/** A Dovecot 2.3 configuration with no !include and nothing read from /etc/dovecot. */
export function dovecotConf(p: InstancePaths, ports: InstancePorts, who: InstanceIdentity): string {
  return `# Throw-away Dovecot of a mail-servers test instance (dev/mail-servers). Start: dovecot -c ${p.dovecotConf}
instance_name = ${who.id}
base_dir = ${p.dovecotBase}
state_dir = ${p.dovecotState}
log_path = ${p.dovecotLog}
info_log_path = ${p.dovecotLog}
debug_log_path = ${p.dovecotLog}
auth_verbose = yes
auth_verbose_passwords = no

protocols = imap lmtp
login_greeting = Dovecot ${who.id} ready.
listen = 127.0.0.1
shutdown_clients = yes

ssl = yes
ssl_cert = <${who.certPath}
ssl_key = <${who.keyPath}
ssl_min_protocol = TLSv1.2
# Loopback clients count as secured: LOGIN works on the plain port with or without STARTTLS.
disable_plaintext_auth = yes
auth_mechanisms = plain login
# Test speed: a wrong password is answered within 0.5 s (default: 2 s), and no penalty builds up
# for 127.0.0.1, from where every test connects (see the anvil-auth-penalty listener below):
# otherwise, after one wrong-password test, every later login waits up to 15 s.
auth_failure_delay = 0

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu ${p.users}/%Lu
}
userdb {
  driver = passwd-file
  args = username_format=%Lu ${p.users}/%Lu
}

# Every mailbox belongs to one system user; Dovecot refuses uids below first_valid_uid.
mail_uid = ${who.mailUid}
mail_gid = ${who.mailGid}
first_valid_uid = ${who.mailUid}
last_valid_uid = ${who.mailUid}
first_valid_gid = ${who.mailGid}
last_valid_gid = ${who.mailGid}
mail_home = ${p.mail}/%Ld/%Ln
mail_location = maildir:~/Maildir
mail_fsync = never
# IDLE: inotify tells at once; this poll is the fall-back where inotify is unavailable.
mailbox_idle_check_interval = 1 secs
imap_idle_notify_interval = 2 mins

namespace inbox {
  inbox = yes
  prefix =
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${ports.imap}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${ports.imaps}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
service imap-urlauth-login {
  unix_listener imap-urlauth {
    mode = 0
  }
}
# Postfix delivers over LMTP and checks SMTP AUTH passwords here; its processes run as postfix.
service lmtp {
  unix_listener ${path.basename(p.lmtpSocket)} {
    mode = 0600
    user = postfix
    group = postfix
  }
}
service auth {
  unix_listener ${path.basename(p.authSocket)} {
    mode = 0600
    user = postfix
    group = postfix
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
protocol lmtp {
  postmaster_address = postmaster@${who.domain}
}
`;
}

/** Postfix main.cf of the instance: a final destination for one virtual domain, nothing else. */
export function postfixMainCf(p: InstancePaths, who: InstanceIdentity): string {
  const nowhere = `error:5.1.2 this test server delivers only to @${who.domain}`;
  return `# Throw-away Postfix of a mail-servers test instance (dev/mail-servers). Start: postfix -c ${p.postfixConfig} start
compatibility_level = 3.6
queue_directory = ${p.postfixQueue}
data_directory = ${p.postfixData}
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-${who.id}
maillog_file = ${p.postfixLog}
maillog_file_prefixes = ${p.root}
multi_instance_name = postfix-${who.id}
multi_instance_enable = no

inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.${who.domain}
mydomain = ${who.domain}
myorigin = ${who.domain}
mynetworks = 127.0.0.0/8
mydestination =
relay_domains =
relayhost =
alias_maps =
alias_database =
local_recipient_maps =
biff = no
append_dot_mydomain = no
readme_directory = no
smtputf8_enable = yes
message_size_limit = 52428800

# The one domain: known users are listed (reject_unlisted_recipient answers 550 at RCPT TO for
# the others), mail goes to Dovecot over LMTP. Anything else is refused or fails at once.
virtual_mailbox_domains = ${who.domain}
virtual_mailbox_maps = hash:${p.recipients}
virtual_alias_maps =
virtual_transport = lmtp:unix:${p.lmtpSocket}
local_transport = ${nowhere}
relay_transport = ${nowhere}
default_transport = ${nowhere}
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = reject_unauth_destination

# The instance id in both greetings: start-up checks that a port answers for this instance.
smtpd_banner = $myhostname ESMTP ${who.id}
smtpd_tls_security_level = may
smtpd_tls_cert_file = ${who.certPath}
smtpd_tls_key_file = ${who.keyPath}
smtpd_tls_auth_only = yes
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_protocols = >=TLSv1.2
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = ${p.authSocket}
smtpd_sasl_security_options = noanonymous
lmtp_tls_security_level = none

# A deferred message (Dovecot busy) is retried within seconds, not minutes.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
maximal_queue_lifetime = 1h
bounce_queue_lifetime = 1h
`;
}

/** Postfix master.cf: the two smtpd listeners and the internal services, none chrooted. */
export function postfixMasterCf(ports: InstancePorts): string {
  return `# service type private unpriv chroot wakeup maxproc command + args
127.0.0.1:${ports.smtp} inet n - n - - smtpd
127.0.0.1:${ports.smtps} inet n - n - - smtpd
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;
}
