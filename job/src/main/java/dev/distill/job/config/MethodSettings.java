package dev.distill.job.config;

import java.io.Serializable;

/** A method's validated settings: a small record, serialisable to executors and hashed per stage. */
public interface MethodSettings extends Serializable {}
