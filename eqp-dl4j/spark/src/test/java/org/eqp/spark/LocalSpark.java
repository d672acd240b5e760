package org.eqp.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Spark in local mode for tests: no web UI, bound to the loopback interface. */
final class LocalSpark {
    private LocalSpark() {
    }

    /** A context with {@code threads} executor threads ({@code local[threads]}); stop it after use. */
    static JavaSparkContext start(int threads, String name) {
        SparkConf conf = new SparkConf()
                .setMaster("local[" + threads + "]")
                .setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        return new JavaSparkContext(conf);
    }
}
