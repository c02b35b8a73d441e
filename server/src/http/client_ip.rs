//! The client's address for per-address limits and logs. Behind a reverse proxy every
//! connection comes from the proxy, so one client's failures would block everyone: when (and
//! only when) the peer is a trusted proxy (`--trusted-proxies`), the address comes from the
//! proxy's header, taking the right-most hop that is not itself a trusted proxy. Hops to the
//! left of it were written by the client and prove nothing.
use std::net::{IpAddr, SocketAddr};

use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::{HeaderName, FORWARDED};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;

use crate::error::AppError;
use crate::state::AppState;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// Which header the trusted proxies write. Only one is read: a proxy that appends to
/// `X-Forwarded-For` passes a client's own `Forwarded` header through untouched.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProxyHeader {
    #[default]
    XForwardedFor,
    Forwarded,
}

#[derive(Clone, Debug, Default)]
pub struct TrustedProxies {
    nets: Vec<IpNet>,
    header: ProxyHeader,
}

impl TrustedProxies {
    pub fn new(nets: Vec<IpNet>, header: ProxyHeader) -> Self {
        Self { nets, header }
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.nets.iter().any(|n| n.contains(&ip))
    }

    /// The client address of a request from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        let hops = match self.header {
            ProxyHeader::XForwardedFor => header_hops(headers, &X_FORWARDED_FOR, parse_xff_hop),
            ProxyHeader::Forwarded => header_hops(headers, &FORWARDED, parse_forwarded_hop),
        };
        for hop in hops.iter().rev() {
            // An unreadable hop ends the chain: what lies beyond it cannot be trusted.
            let Some(ip) = hop else { break };
            client = canonical(*ip);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// Every hop of every instance of `name`, in order (a proxy may add a header line instead of
/// appending to the last one).
fn header_hops(
    headers: &HeaderMap,
    name: &HeaderName,
    parse: fn(&str) -> Option<IpAddr>,
) -> Vec<Option<IpAddr>> {
    headers
        .get_all(name)
        .iter()
        .flat_map(|v| {
            v.to_str()
                .map(|s| s.split(',').map(|hop| parse(hop.trim())).collect())
                .unwrap_or_else(|_| vec![None])
        })
        .collect()
}

/// `192.0.2.1`, `2001:db8::1`, or either with a port (`[2001:db8::1]:80`).
fn parse_xff_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// The `for=` parameter of one RFC 7239 element: `for=192.0.2.1;proto=https`,
/// `for="[2001:db8::1]:4711"`. `unknown` and obfuscated names are unreadable.
fn parse_forwarded_hop(element: &str) -> Option<IpAddr> {
    let value = element.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        k.trim().eq_ignore_ascii_case("for").then(|| v.trim())
    })?;
    let value = value.trim_matches('"');
    let bare = value
        .strip_prefix('[')
        .and_then(|v| v.split_once(']'))
        .map_or(value, |(ip, _)| ip);
    parse_xff_hop(bare)
}

/// IPv4-mapped IPv6 (`::ffff:192.0.2.1`, a dual-stack listener's view) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// The peer address, as the connection reported it (or as a test router mocks it).
pub fn peer_addr(parts: &Parts) -> Option<SocketAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr)
        .or_else(|| {
            parts
                .extensions
                .get::<MockConnectInfo<SocketAddr>>()
                .map(|MockConnectInfo(addr)| *addr)
        })
}

/// The client's address (see the module docs); what every limit and log line uses.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    pub fn of(parts: &Parts, state: &AppState) -> Option<Self> {
        let peer = peer_addr(parts)?;
        Some(Self(state.proxies.client(peer.ip(), &parts.headers)))
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Self::of(parts, state).ok_or_else(|| AppError::Internal(anyhow::anyhow!("no peer address")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn proxies(header: ProxyHeader) -> TrustedProxies {
        TrustedProxies::new(
            vec![
                "10.0.0.0/8".parse().unwrap(),
                "2001:db8::/32".parse().unwrap(),
            ],
            header,
        )
    }

    fn headers(name: &'static str, values: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(name, HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_sends() {
        let p = proxies(ProxyHeader::XForwardedFor);
        let h = headers("x-forwarded-for", &["198.51.100.1"]);
        assert_eq!(p.client(ip("203.0.113.9"), &h), ip("203.0.113.9"));
    }

    #[test]
    fn the_right_most_untrusted_hop_wins() {
        let p = proxies(ProxyHeader::XForwardedFor);
        // The client forged the first hop; the proxies appended the rest.
        let h = headers("x-forwarded-for", &["6.6.6.6, 198.51.100.7", "10.1.1.1"]);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("198.51.100.7"));
        assert_eq!(p.client(ip("10.0.0.2"), &HeaderMap::new()), ip("10.0.0.2"));
        let h = headers("x-forwarded-for", &["garbage, 10.9.9.9"]);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("10.9.9.9"));
        let h = headers("x-forwarded-for", &["[2001:db9::5]:443"]);
        assert_eq!(p.client(ip("::ffff:10.0.0.2"), &h), ip("2001:db9::5"));
    }

    #[test]
    fn forwarded_is_read_only_when_chosen() {
        let h = headers(
            "forwarded",
            &["for=6.6.6.6, for=\"[2001:db9::7]:4711\";proto=https, For=10.2.2.2"],
        );
        let p = proxies(ProxyHeader::Forwarded);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("2001:db9::7"));
        let p = proxies(ProxyHeader::XForwardedFor);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("10.0.0.2"));
        let h = headers("forwarded", &["for=unknown"]);
        let p = proxies(ProxyHeader::Forwarded);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("10.0.0.2"));
    }
}
