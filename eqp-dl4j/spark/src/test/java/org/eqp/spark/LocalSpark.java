package org.eqp.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Spark in local mode for tests: no web UI, bound to the loopback interface. */
final class LocalSpark {
    private LocalSpark() {
    }

    /** A context with {@code threads} executor threads ({@code local[threads]}); stop it after use. */
    static JavaSparkContext start(int threads, String name) {
        return new JavaSparkContext(conf(threads, name));
    }

    /** The same with Spark's Kryo serializer and {@link EpKryoRegistrator}. */
    static JavaSparkContext startWithKryo(int threads, String name) {
        return new JavaSparkContext(withKryo(conf(threads, name)));
    }

    /** {@code conf} with Spark's Kryo serializer and {@link EpKryoRegistrator}. */
    static SparkConf withKryo(SparkConf conf) {
        return conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", EpKryoRegistrator.class.getName());
    }

    private static SparkConf conf(int threads, String name) {
        return new SparkConf()
                .setMaster("local[" + threads + "]")
                .setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }
}
