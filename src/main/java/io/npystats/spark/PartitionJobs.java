package io.npystats.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * Runs a function on each partition of an RDD and collects what it gives, in partition order: what
 * {@code rdd.mapPartitions(f).collect()} gives, as one job of one stage, with a task's function a
 * named class rather than one of Spark's lambdas. Spark's closure cleaner inspects every lambda a
 * job is given by reading its class file again from its jar: {@code mapPartitions} and
 * {@code collect} hand it three, about 25 ms of every job on the driver's critical path
 * (docs/performance.md, "The fixed cost of a job"). A named function is not a closure to it, and
 * costs nothing.
 */
final class PartitionJobs {
  private PartitionJobs() {}

  /**
   * {@code f} of every partition of {@code rdd}, their outputs one after another.
   *
   * @throws SparkException where a task failed past its retries, as Spark's {@code collect} does
   *     (undeclared, as Scala throws it)
   */
  static <T, R> List<R> collect(JavaRDD<T> rdd, FlatMapFunction<Iterator<T>, R> f) {
    Object[] partitions = (Object[]) rdd.context().runJob(rdd.rdd(),
        new EachPartition<T, R>(f), ClassTag$.MODULE$.AnyRef());
    List<R> all = new ArrayList<>();
    for (Object partition : partitions) {
      @SuppressWarnings("unchecked")
      List<R> out = (List<R>) partition;
      all.addAll(out);
    }
    return all;
  }

  /** A task's work: {@code f} of its partition, its output gathered into a {@code List<R>}. */
  private static final class EachPartition<T, R>
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<T>, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final FlatMapFunction<Iterator<T>, R> f;

    EachPartition(FlatMapFunction<Iterator<T>, R> f) {
      this.f = f;
    }

    @Override
    public Object apply(TaskContext context, scala.collection.Iterator<T> partition) {
      List<R> out = new ArrayList<>();
      try {
        f.call(CollectionConverters.asJava(partition)).forEachRemaining(out::add);
      } catch (Exception e) {
        // As it is, checked or not, as Spark's own wrapper of f lets it go: the task's failure
        // names it, and the driver's error its message.
        throw PartitionJobs.<RuntimeException>rethrown(e);
      }
      return out;
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrown(Exception e) throws E {
    throw (E) e;
  }
}
