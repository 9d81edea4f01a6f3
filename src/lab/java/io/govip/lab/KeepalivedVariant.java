package io.govip.lab;

/**
 * The keepalived settings the benchmark compares govip with: VRRP's usual advertisement interval of 1 s, and VRRPv3
 * at 0.1 s, the fastest common setting. A backup takes over after three missed advertisements plus its skew.
 */
public enum KeepalivedVariant {

    ADVERT_1S("keepalived-1s", "keepalived, advert 1 s", 2, "1"),
    VRRP3_100MS("keepalived-vrrp3-0.1s", "keepalived, VRRPv3 advert 0.1 s", 3, "0.1");

    private final String key;
    private final String title;
    private final int vrrpVersion;
    private final String advertInterval;

    KeepalivedVariant(String key, String title, int vrrpVersion, String advertInterval) {
        this.key = key;
        this.title = title;
        this.vrrpVersion = vrrpVersion;
        this.advertInterval = advertInterval;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    /** keepalived.conf's {@code vrrp_version}. */
    public int vrrpVersion() {
        return vrrpVersion;
    }

    /** keepalived.conf's {@code advert_int}, in seconds. */
    public String advertInterval() {
        return advertInterval;
    }
}
