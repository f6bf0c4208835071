/** A local RabbitMQ cluster for the specs and the bench, beside the shared node (see test-cluster.ts). */
export { TestCluster, type ClusterNode, type NodeStatus, type TestClusterOptions } from './test-cluster.ts';
